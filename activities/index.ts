import { ApplicationFailure } from '@temporalio/common';
import { UsermodError } from '../domain';
import type { Store } from '../store';
import { newId } from '../store/ids';
import { deliveryActivities, type DeliverySettings } from './delivery';
import { inviteActivities, type InviteTokenSettings } from './invites';

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
    inviteTokenStates: store.inviteTokenStates,
    restoreInviteTokens: store.restoreInviteTokens,
    liveInvites: store.liveInvites,
    softDeleteInvites: store.softDeleteInvites,
    restoreInvites: store.restoreInvites,
    validateInviteToken: store.validateInviteToken,
    claimInviteForAccept: store.claimInviteForAccept,
    releaseInviteClaim: store.releaseInviteClaim,
    setInviteDelivery: store.setInviteDelivery,
    expireDueInvites: store.expireDueInvites,
    purgeInvites: store.purgeInvites,

    createEmailpassIdentity: store.createEmailpassIdentity,
    deleteAuthIdentity: store.deleteAuthIdentity,
    checkIdentityForAccept: store.checkIdentityForAccept,
    linkIdentity: store.linkIdentity,
    unlinkIdentity: store.unlinkIdentity,
    identitySnapshots: store.identitySnapshots,
    deleteAuthIdentities: store.deleteAuthIdentities,
    recreateIdentities: store.recreateIdentities,
    passwordState: store.passwordState,
    updateEmailpassPassword: store.updateEmailpassPassword,
    restorePassword: store.restorePassword,

    recordEvents: store.recordEvents,
    deleteEvents: store.deleteEvents,

    ...deliveryActivities(store, deps.inviteTokens, deps.delivery),
  };
  return Object.fromEntries(
    Object.entries(all).map(([name, fn]) => [name, businessErrorsFail(fn as (...a: never[]) => Promise<unknown>)]),
  ) as typeof all;
}

export type Activities = ReturnType<typeof createActivities>;
