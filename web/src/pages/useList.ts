import { useCallback, useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../api';

export type ListState<T> =
  { state: 'loading' } | { state: 'error'; message: string; status: number } | { state: 'ready'; data: T };

/** Loads when its inputs change; `reload` after a change. Errors become readable messages, 403 is kept apart (Access denied). */
export function useList<T>(load: () => Promise<T>, deps: unknown[]): ListState<T> & { reload(): Promise<void> } {
  const [state, setState] = useState<ListState<T>>({ state: 'loading' });
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    try {
      setState({ state: 'ready', data: await run() });
    } catch (err) {
      setState({ state: 'error', message: errorMessage(err), status: err instanceof ApiError ? err.status : 0 });
    }
  }, [run]);
  useEffect(() => {
    let live = true;
    setState({ state: 'loading' });
    run().then(
      (data) => live && setState({ state: 'ready', data }),
      (err) =>
        live &&
        setState({ state: 'error', message: errorMessage(err), status: err instanceof ApiError ? err.status : 0 }),
    );
    return () => {
      live = false;
    };
  }, [run]);
  return { ...state, reload };
}
