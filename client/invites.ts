import { hashPassword } from '../auth/password';
import { signInviteToken, verifyInviteToken, type InviteTokenClaims } from '../auth/invite-token';
import type { InviteDTO, UserDTO } from '../store';
import { invalidData } from '../store/errors';
import { acceptInviteWorkflow } from '../workflows/accept-invite';
import { createUserAccountWorkflow } from '../workflows/create-user-account';
import { createInvitesWorkflow, deleteInvitesWorkflow, refreshInviteTokensWorkflow, type InvitesWithClaims } from '../workflows/invites';
import { runFlow, type RunOptions, type UsermodClient } from './run';

/** An invite with its plain token: only the answers of create and resend carry it. */
export type InviteWithToken = InviteDTO & { token: string };

async function withTokens(ctx: UsermodClient, r: InvitesWithClaims): Promise<InviteWithToken[]> {
  const byId = new Map<string, InviteTokenClaims>(r.claims.map((c) => [c.inviteId, c]));
  return Promise.all(r.invites.map(async (i) => ({ ...i, token: await signInviteToken(byId.get(i.id)!, ctx.jwtSecret) })));
}

const ids = (list: string[]) => (list.length === 1 ? list[0] : `${list.length}`);

export async function createInvites(
  ctx: UsermodClient,
  invites: { email: string; metadata?: Record<string, unknown> | null }[],
  options: RunOptions = {},
): Promise<InviteWithToken[]> {
  if (invites.length === 0) return [];
  const r = await runFlow(ctx, createInvitesWorkflow, 'invite-create', [{ invites }], { summary: `create ${invites.length} invite(s)`, ...options });
  return withTokens(ctx, r);
}

export async function resendInvites(ctx: UsermodClient, inviteIds: string[], options: RunOptions = {}): Promise<InviteWithToken[]> {
  const r = await runFlow(ctx, refreshInviteTokensWorkflow, 'invite-resend', [{ inviteIds }], {
    subject: ids(inviteIds),
    summary: `resend invite(s) ${inviteIds.join(', ')}`,
    ...options,
  });
  return withTokens(ctx, r);
}

export function revokeInvites(ctx: UsermodClient, inviteIds: string[], options: RunOptions = {}): Promise<{ ids: string[] }> {
  return runFlow(ctx, deleteInvitesWorkflow, 'invite-revoke', [{ ids: inviteIds }], {
    subject: ids(inviteIds),
    summary: `revoke invite(s) ${inviteIds.join(', ')}`,
    ...options,
  });
}

export interface AcceptInviteRequest {
  token: string;
  /** One-step accept: the password of the new login. */
  password?: string;
  /** Two-step accept: the unlinked identity the caller registered. */
  authIdentityId?: string;
  user?: { email?: string | null; first_name?: string | null; last_name?: string | null };
}

/**
 * The token's signature and expiry are checked here; only its hash and the password's scrypt hash
 * enter the workflow, so neither secret is ever in Temporal's history.
 */
export async function acceptInvite(ctx: UsermodClient, req: AcceptInviteRequest, options: RunOptions = {}): Promise<{ user: UserDTO; authIdentityId: string }> {
  const { inviteId, tokenHash } = await verifyInviteToken(req.token, ctx.jwtSecret);
  if ((req.password === undefined) === (req.authIdentityId === undefined)) {
    throw invalidData('Accepting an invite needs either a password or a registered identity, not both');
  }
  const passwordHash = req.password !== undefined ? await hashPassword(req.password) : undefined;
  return runFlow(ctx, acceptInviteWorkflow, 'invite-accept', [{ inviteId, tokenHash, passwordHash, authIdentityId: req.authIdentityId, user: req.user ?? {} }], {
    subject: inviteId,
    // Without an idempotency key each attempt is its own run: concurrent accepts never join each other.
    summary: `accept invite ${inviteId}`,
    ...options,
  });
}

export async function createUserAccount(
  ctx: UsermodClient,
  input: { email: string; password: string; first_name?: string | null; last_name?: string | null },
  options: RunOptions = {},
): Promise<{ user: UserDTO; authIdentityId: string }> {
  const passwordHash = await hashPassword(input.password);
  return runFlow(ctx, createUserAccountWorkflow, 'user-account-create', [{ email: input.email, passwordHash, first_name: input.first_name, last_name: input.last_name }], {
    summary: 'create a user account',
    ...options,
  });
}
