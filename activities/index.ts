import { ApplicationFailure } from '@temporalio/common';
import { UsermodError } from '../domain';
import type { Store } from '../store';
import { dataErrorMessage, isDataError } from '../store/db-errors';
import { newId } from '../store/ids';
import { deliveryActivities, type DeliverySettings } from './delivery';
import { inviteActivities, type InviteTokenSettings } from './invites';
import { sealedActivities } from './sealed';
import type { Opener } from '../auth/seal';

export interface ActivityDeps {
  store: Store;
  /** Opens (and seals) the hashes that travel through workflows: the worker's private seal keys. */
  seal: Opener;
  inviteTokens: InviteTokenSettings;
  delivery: DeliverySettings;
}

/**
 * Business errors must not be retried: they become non-retryable failures carrying type and message.
 * So do database data errors, which no retry can fix.
 */
function businessErrorsFail<F extends (...args: never[]) => Promise<unknown>>(fn: F): F {
  return (async (...args: Parameters<F>) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof UsermodError) {
        throw ApplicationFailure.create({ type: err.type, message: err.message, nonRetryable: true });
      }
      // A value PostgreSQL refuses (a NUL character, a malformed JSON string) is refused again on every
      // retry: a business error at once, never minutes of retries. The message names the reason, not the value.
      if (isDataError(err)) {
        throw ApplicationFailure.create({ type: 'invalid_data', message: dataErrorMessage(err), nonRetryable: true });
      }
      throw err;
    }
  }) as F;
}

/**
 * Every activity, named as the store method it runs (forward step, then its undo). Store methods
 * are idempotent, so Temporal may retry any of them.
 */
export function createActivities(deps: ActivityDeps) {
  const { store } = deps;
  const all = {
    /** Local activity: ids fixed in history, so a retried step writes the very same rows. */
    async newIds(prefix: string, count: number): Promise<string[]> {
      return Array.from({ length: count }, () => newId(prefix));
    },

    createUsers: store.createUsers,
    deleteUsers: store.deleteUsers,
    usersForUpdate: store.usersForUpdate,
    updateUsers: store.updateUsers,
    restoreUserSnapshots: store.restoreUserSnapshots,
    softDeleteUsers: store.softDeleteUsers,
    restoreUsers: store.restoreUsers,

    // createInvites and refreshInviteTokens store the hashes of the tokens their claims make.
    ...inviteActivities(store, deps.inviteTokens),
    deleteInvites: store.deleteInvites,
    liveInvites: store.liveInvites,
    softDeleteInvites: store.softDeleteInvites,
    restoreInvites: store.restoreInvites,
    releaseInviteClaim: store.releaseInviteClaim,
    setInviteDelivery: store.setInviteDelivery,
    expireDueInvites: store.expireDueInvites,
    purgeInvites: store.purgeInvites,

    deleteAuthIdentity: store.deleteAuthIdentity,
    checkIdentityForAccept: store.checkIdentityForAccept,
    linkIdentity: store.linkIdentity,
    unlinkIdentity: store.unlinkIdentity,
    deleteAuthIdentities: store.deleteAuthIdentities,

    // Every activity whose arguments or results hold a password or token hash: sealed in, sealed out.
    ...sealedActivities(store, deps.seal),

    recordEvents: store.recordEvents,
    deleteEvents: store.deleteEvents,

    ...deliveryActivities(store, deps.inviteTokens, deps.delivery),
  };
  return Object.fromEntries(
    Object.entries(all).map(([name, fn]) => [name, businessErrorsFail(fn as (...a: never[]) => Promise<unknown>)]),
  ) as typeof all;
}

export type Activities = ReturnType<typeof createActivities>;
