import { ApplicationFailure } from '@temporalio/common';
import { UsermodError, type Store } from '../store';
import { newId } from '../store/ids';
import { authActivities } from './auth';
import { deliveryActivities, type DeliverySettings } from './delivery';
import { inviteActivities, type InviteTokenSettings } from './invites';
import { userActivities } from './users';

export interface ActivityDeps {
  store: Store;
  inviteTokens: InviteTokenSettings;
  delivery: DeliverySettings;
}

/** Business errors must not be retried: they become non-retryable failures carrying type and message. */
function businessErrorsFail<F extends (...args: never[]) => Promise<unknown>>(fn: F): F {
  return (async (...args: Parameters<F>) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof UsermodError) {
        throw ApplicationFailure.create({ type: err.type, message: err.message, nonRetryable: true });
      }
      throw err;
    }
  }) as F;
}

export function createActivities(deps: ActivityDeps) {
  const { store, inviteTokens, delivery } = deps;
  const all = {
    async newIds(prefix: string, count: number): Promise<string[]> {
      return Array.from({ length: count }, () => newId(prefix));
    },
    recordEvents: store.recordEvents,
    ...userActivities(store),
    ...inviteActivities(store, inviteTokens),
    ...authActivities(store),
    ...deliveryActivities(store, inviteTokens, delivery),
    expireDueInvites: store.expireDueInvites,
    purgeInvites: store.purgeInvites,
  };
  return Object.fromEntries(
    Object.entries(all).map(([name, fn]) => [name, businessErrorsFail(fn as (...a: never[]) => Promise<unknown>)]),
  ) as typeof all;
}

export type Activities = ReturnType<typeof createActivities>;
