import type { Client } from '@temporalio/client';
import type { Store } from '../store';
import { newId } from '../store/ids';
import { authActivities } from './auth';
import { classifiedFailures } from './failures';
import { deliveryActivities, type DeliverySettings } from './delivery';
import { inviteActivities, type InviteTokenSettings } from './invites';
import { reconcileActivities } from './reconcile';
import { userActivities } from './users';

export interface ActivityDeps {
  store: Store;
  inviteTokens: InviteTokenSettings;
  delivery: DeliverySettings;
  /** The worker's Temporal client: the reconciler reads runs and resets terminated ones with it. */
  temporal?: Client;
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
    ...reconcileActivities(store, () => {
      if (!deps.temporal) throw new Error('the reconciler needs a Temporal client in the activities (ActivityDeps.temporal)');
      return deps.temporal;
    }),
    expireDueInvites: store.expireDueInvites,
    purgeInvites: store.purgeInvites,
  };
  return Object.fromEntries(
    // Business and data errors fail at once, transient ones are retried; messages stay one clean line.
    Object.entries(all).map(([name, fn]) => [name, classifiedFailures(name, fn as (...a: never[]) => Promise<unknown>)]),
  ) as typeof all;
}

export type Activities = ReturnType<typeof createActivities>;
