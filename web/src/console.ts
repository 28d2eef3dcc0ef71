import { createContext, useContext } from 'react';
import type { AppConfig, User } from './api';

/**
 * What the signed-in user may do. Without RBAC on the server (`/admin/rbac/me/permissions` answers 404)
 * every signed-in user may do everything, as the API itself then allows.
 */
export interface Access {
  rbac: boolean;
  permissions: ReadonlySet<string>;
}

export const can = (access: Access, permission: string): boolean => !access.rbac || access.permissions.has(permission);

export interface ConsoleState {
  me: User;
  access: Access;
  config: AppConfig;
  /** Re-read the signed-in user (after editing oneself). */
  refreshMe(): Promise<void>;
}

export const ConsoleContext = createContext<ConsoleState | null>(null);

export function useConsole(): ConsoleState {
  const ctx = useContext(ConsoleContext);
  if (!ctx) throw new Error('useConsole outside the console');
  return ctx;
}
