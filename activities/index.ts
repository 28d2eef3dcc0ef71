import type { Client } from '@temporalio/client';
import type { CreateApiKeyInput } from '../domain';
import type { Store } from '../store';
import { newId } from '../store/ids';
import { deliveryActivities, type DeliverySettings } from './delivery';
import { classifiedFailures } from './failures';
import { withinBudget } from './budget';
import { reconcileActivities } from './reconcile';
import { inviteActivities, type InviteTokenSettings } from './invites';
import { sealedActivities } from './sealed';
import { webhookActivities, type WebhookSettings } from './webhooks';
import type { Opener } from '../auth/seal';

export interface ActivityDeps {
  store: Store;
  /** Opens (and seals) the hashes that travel through workflows: the worker's private seal keys. */
  seal: Opener;
  inviteTokens: InviteTokenSettings;
  delivery: DeliverySettings;
  /** The worker's Temporal client: the reconciler reads runs and resets terminated ones with it. */
  temporal?: Client;
  /** The outbox relay and webhook deliveries: the installation's webhook key and in-process subscribers. */
  webhooks?: WebhookSettings;
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
    undoAcceptInviteOnce: store.undoAcceptInviteOnce,
    forgetUndoRecord: store.forgetUndoRecord,

    invitesForUpdate: store.invitesForUpdate,
    updateInvites: store.updateInvites,
    restoreInviteSnapshots: store.restoreInviteSnapshots,
    // RBAC (store/rbac.ts): forward steps, their undos, and the reads the flows take snapshots with.
    createRole: store.createRole,
    purgeRole: store.purgeRole,
    roleSnapshot: store.roleSnapshot,
    updateRole: store.updateRole,
    restoreRole: store.restoreRole,
    softDeleteRole: store.softDeleteRole,
    addRolePolicies: store.addRolePolicies,
    deleteRolePolicyLinks: store.deleteRolePolicyLinks,
    restoreRolePolicyLinks: store.restoreRolePolicyLinks,
    rolePolicyLinks: store.rolePolicyLinks,
    assignUserRoles: store.assignUserRoles,
    unassignUserRoles: store.unassignUserRoles,
    removeUserRoles: store.removeUserRoles,
    restoreUserRoles: store.restoreUserRoles,
    existingUserRoles: store.existingUserRoles,
    inviteRoleIds: store.inviteRoleIds,
    // API keys: the secret's hash arrives sealed and is opened only here, in the worker.
    createApiKey: (input: CreateApiKeyInput) =>
      store.createApiKey({ ...input, tokenHash: deps.seal.open(input.tokenHash, 'token_hash') }),
    purgeApiKey: store.purgeApiKey,
    apiKeyState: store.apiKeyState,
    revokeApiKey: store.revokeApiKey,
    restoreApiKeyState: store.restoreApiKeyState,
    softDeleteApiKey: store.softDeleteApiKey,

    recordEvents: store.recordEvents,
    // The transactional outbox (store/outbox.ts): a step and its events in one transaction.
    createUsersWithEvents: store.createUsersWithEvents,
    deleteEvents: store.deleteEvents,

    ...deliveryActivities(store, deps.inviteTokens, deps.delivery),

    ...webhookActivities(store, deps.webhooks),

    ...reconcileActivities(store, () => {
      if (!deps.temporal) throw new Error("the reconciler needs the worker's Temporal client (ActivityDeps.temporal)");
      return deps.temporal;
    }),
  };
  return Object.fromEntries(
    // Business and data errors fail at once, transient ones are retried; messages stay one clean line.
    // A local step keeps its overall budget itself (activities/budget.ts).
    Object.entries(all).map(([name, fn]) => [
      name,
      withinBudget(classifiedFailures(name, fn as (...a: never[]) => Promise<unknown>)),
    ]),
  ) as typeof all;
}

export type Activities = ReturnType<typeof createActivities>;
