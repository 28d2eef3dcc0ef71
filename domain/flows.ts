import type { InviteDTO, InviteTokenClaims, InviteUpdate, NewInvite } from './invites';
import type { NewUser, UserDTO, UserUpdate } from './users';
import type { ReconcileInput, ReconcileResult } from './reconcile';
import type { ApiKeyDTO, CreateApiKeyInput, DeleteApiKeyInput, RevokeApiKeyInput } from './api-keys';
import type { IdentitySnapshot } from './auth';
import type { EventInput } from './events';
import type { Grantor, NewRole, RoleDTO, RolePolicyDTO, RoleUpdate } from './rbac';

/*
 * The flows' inputs and results: the durable contract written into Temporal history. A running flow
 * replays against the code that reads it, so change these deliberately: add optional fields only;
 * anything else is a new flow (or a `patched()` branch in its workflow).
 */

export interface CreateUsersInput {
  users: NewUser[];
}

export interface CreateInvitesInput {
  invites: NewInvite[];
  /** Bulk: more invites than this are created in batches of this size, one child run each (default 500). */
  batchSize?: number;
  /** Bulk import: e-mails with a user or a live invite, or repeated, are skipped instead of failing the call. */
  skipExisting?: boolean;
  /** Set by a bulk run for each batch: the batch's invite ids, fixed in the parent's history. */
  ids?: string[];
  /** Set by a bulk run for each batch: the parent's workflow id and the batch's number. */
  bulk?: { parent: string; batch: number };
}

/** Invites with the claims of their new token: the client signs the token from them (never in history). */
export interface InvitesWithClaims {
  invites: InviteDTO[];
  claims: InviteTokenClaims[];
  /**
   * Bulk: the batch runs (workflow ids) whose results hold the invites and claims, in order; `invites`
   * and `claims` are then empty, so that no payload grows with the call (Temporal's 2 MB limit).
   */
  batches?: string[];
  /** With skipExisting: the e-mails left out. */
  skipped?: string[];
}

export interface RefreshInviteTokensInput {
  inviteIds: string[];
}

export interface DeleteInvitesInput {
  ids: string[];
}

export interface AcceptInviteInput {
  inviteId: string;
  /** sha256 of the presented token; the token itself never enters Temporal. */
  tokenHash: string;
  /** One-step accept: the new login's scrypt hash (the password is hashed before the flow starts). */
  passwordHash?: string;
  /** Two-step accept (Medusa's): an identity the caller registered, still unlinked. */
  authIdentityId?: string;
  user: { email?: string | null; first_name?: string | null; last_name?: string | null };
}

/**
 * What an accept starts from, read before it writes anything: the invite as it was (its updated_at is
 * what an undo puts back), the login the accept replaces or links, as it was, and the ids its write
 * will use (recorded in history before the write, so a retried or reset run targets the same rows).
 */
export interface AcceptPreflight {
  invite: InviteDTO;
  ids: { user: string; identity: string; providerIdentity: string; events: [string, string] };
  /** One-step accept: an unlinked login holding the invitee's e-mail (replaced; recreated by the undo), hash sealed. */
  squatter: IdentitySnapshot | null;
  /** Two-step accept: the caller's identity's updated_at, put back by the undo. */
  identityUpdatedAt?: string;
}

/** The accept's events, under the ids its preflight fixed (the workflow and the benchmark's direct row). */
export const acceptEvents = (inviteId: string, ids: AcceptPreflight['ids']): EventInput[] => [
  { id: ids.events[0], name: 'user.created', payload: { id: ids.user } },
  { id: ids.events[1], name: 'invite.accepted', payload: { id: inviteId, user_id: ids.user } },
];

/** The accept's one write (store/accept.ts): ids made by the workflow, so a retried write finds its own rows. */
export interface AcceptWrite {
  inviteId: string;
  tokenHash: string;
  /** The accepting run: the claim's owner. */
  run: string;
  /** The e-mail the caller gave, if any: it must be the invite's. */
  email?: string | null;
  /** A new login (one-step accept, hash sealed), or the caller's registered identity (two-step). */
  identity: { id: string; providerIdentityId: string; passwordHash: string } | { id: string; registered: true };
  /** The unlinked login to replace, as the preflight found it. */
  squatterId?: string;
  user: { id: string; first_name?: string | null; last_name?: string | null };
  events: EventInput[];
}

/**
 * The accept in one workflow task (a local step): its ids made in workflow code, and what it replaces
 * read inside its own transaction and kept there, under `undoId`, for its undo (store/accept.ts).
 */
export type AcceptOnce = Omit<AcceptWrite, 'squatterId'> & { undoId: string };

/** What an AcceptOnce found before it wrote: its undo record. */
export interface AcceptBefore {
  inviteUpdatedAt: string;
  squatter: IdentitySnapshot | null;
  identityUpdatedAt?: string;
}

/** Undoes an AcceptOnce from its undo record; harmless when it never committed (no record). */
export interface AcceptOnceUndo {
  undoId: string;
  inviteId: string;
  run: string;
  userId: string;
  identityId: string;
  /** The login was the caller's own (two-step accept). */
  registered: boolean;
  eventIds: string[];
}

/** Undoes an AcceptWrite: everything it wrote, put back as the preflight read it. Harmless when it never ran. */
export interface AcceptUndo {
  inviteId: string;
  run: string;
  inviteUpdatedAt: string;
  userId: string;
  identityId: string;
  /** The login was the caller's own: unlinked (its updated_at put back), not deleted. */
  registered?: { updatedAt?: string };
  squatter: IdentitySnapshot | null;
  eventIds: string[];
}

/** A user with its emailpass login. */
export interface UserAccount {
  user: UserDTO;
  authIdentityId: string;
}

export interface CreateUserAccountInput {
  email: string;
  /** scrypt hash; the password is hashed before the flow starts. */
  passwordHash: string;
  first_name?: string | null;
  last_name?: string | null;
}

export interface RegisterEmailpassInput {
  email: string;
  passwordHash: string;
}

export interface UpdateEmailpassPasswordInput {
  email: string;
  passwordHash: string;
}

export interface RequestPasswordResetInput {
  email: string;
}

export interface UpdateUsersInput {
  updates: UserUpdate[];
}

export interface RemoveUserAccountInput {
  userId: string;
}

export interface UpdateInvitesInput {
  updates: InviteUpdate[];
}

export interface ExpireInvitesInput {
  batchSize: number;
  /** Purge expired and revoked invites older than this; 0 keeps them. */
  retentionSeconds: number;
}

export interface ExpireInvitesResult {
  expired: number;
  purged: number;
}

/** RBAC flows (issue 12). `grantor`: the caller, re-checked inside the granting step; absent for the system. */
export interface CreateRoleInput {
  role: NewRole;
  policyIds?: string[];
  grantor?: Grantor;
}

export interface UpdateRoleInput {
  update: RoleUpdate;
}

export interface DeleteRoleInput {
  id: string;
}

export interface AddRolePoliciesInput {
  roleId: string;
  policyIds: string[];
  grantor?: Grantor;
}

export interface RemoveRolePoliciesInput {
  roleId: string;
  policyIds: string[];
}

export interface AssignUserRolesInput {
  userId: string;
  roleIds: string[];
  grantor?: Grantor;
}

export interface RemoveUserRolesInput {
  userId: string;
  roleIds: string[];
  grantor?: Grantor;
}

/**
 * Every flow by its one name. The name is the stem of everything about it: the workflow
 * `<name>Workflow`, the client function `<name>`, the workflow-id prefix and `UsermodFlow` value
 * `flowId(name)` (kebab case). Events keep Medusa's names (README, *Flows*).
 */
export interface Flows {
  createUsers: { input: CreateUsersInput; result: UserDTO[] };
  updateUsers: { input: UpdateUsersInput; result: UserDTO[] };
  createUserAccount: { input: CreateUserAccountInput; result: UserAccount };
  removeUserAccount: { input: RemoveUserAccountInput; result: { id: string } };
  createInvites: { input: CreateInvitesInput; result: InvitesWithClaims };
  refreshInviteTokens: { input: RefreshInviteTokensInput; result: InvitesWithClaims };
  deleteInvites: { input: DeleteInvitesInput; result: { ids: string[] } };
  acceptInvite: { input: AcceptInviteInput; result: UserAccount };
  registerEmailpass: { input: RegisterEmailpassInput; result: { authIdentityId: string } };
  updateEmailpassPassword: { input: UpdateEmailpassPasswordInput; result: void };
  requestPasswordReset: { input: RequestPasswordResetInput; result: void };
  expireInvites: { input: ExpireInvitesInput; result: ExpireInvitesResult };
  reconcile: { input: ReconcileInput; result: ReconcileResult };
  updateInvites: { input: UpdateInvitesInput; result: InviteDTO[] };
  createRole: { input: CreateRoleInput; result: RoleDTO };
  updateRole: { input: UpdateRoleInput; result: RoleDTO };
  deleteRole: { input: DeleteRoleInput; result: { id: string } };
  addRolePolicies: { input: AddRolePoliciesInput; result: RolePolicyDTO[] };
  removeRolePolicies: { input: RemoveRolePoliciesInput; result: { ids: string[] } };
  assignUserRoles: { input: AssignUserRolesInput; result: { roleIds: string[] } };
  removeUserRoles: { input: RemoveUserRolesInput; result: { roleIds: string[] } };
  createApiKey: { input: CreateApiKeyInput; result: ApiKeyDTO };
  revokeApiKey: { input: RevokeApiKeyInput; result: ApiKeyDTO };
  deleteApiKey: { input: DeleteApiKeyInput; result: { id: string } };
}

export type FlowName = keyof Flows;

/** Flows a caller starts; each is a saga: a failure after any step leaves the database as before. */
export const SAGA_FLOWS = [
  'createUsers',
  'updateUsers',
  'createUserAccount',
  'removeUserAccount',
  'createInvites',
  'refreshInviteTokens',
  'deleteInvites',
  'acceptInvite',
  'registerEmailpass',
  'updateEmailpassPassword',
  'requestPasswordReset',
  'updateInvites',
  'createRole',
  'updateRole',
  'deleteRole',
  'addRolePolicies',
  'removeRolePolicies',
  'assignUserRoles',
  'removeUserRoles',
  'createApiKey',
  'revokeApiKey',
  'deleteApiKey',
] as const;

/**
 * Flows a Temporal Schedule starts: each expiry batch commits on its own, so there is nothing to undo;
 * the reconciler's repairs are themselves compensations.
 */
export const SCHEDULED_FLOWS = ['expireInvites', 'reconcile'] as const;

export type SagaFlow = (typeof SAGA_FLOWS)[number];

// Every flow is in exactly one of the lists above (a compile error otherwise).
type Listed = SagaFlow | (typeof SCHEDULED_FLOWS)[number];
const everyFlowListed: [Exclude<FlowName, Listed>, Exclude<Listed, FlowName>] extends [never, never] ? true : never =
  true;
void everyFlowListed;

/** The flow's kebab-case id: its workflow-id prefix and its `UsermodFlow` search attribute value. */
export const flowId = (flow: FlowName): string => flow.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The workflow type (exported function name) that runs a flow. */
export const workflowType = <F extends FlowName>(flow: F): `${F}Workflow` => `${flow}Workflow`;
