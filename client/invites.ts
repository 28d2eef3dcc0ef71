import { checkPassword, hashPassword, signInviteToken, verifyInviteToken } from '../auth';
import { newInvite, newUser, parse } from '../domain/validation';
import {
  invalidData,
  type InviteDTO,
  type InvitesWithClaims,
  type InviteTokenClaims,
  type NewInvite,
  type UserAccount,
} from '../domain';
import { runFlow, type RunOptions, type UsermodClient } from './run';

/** An invite with its plain token: only the answers of create and resend carry it. */
export type InviteWithToken = InviteDTO & { token: string };

async function withTokens(ctx: UsermodClient, r: InvitesWithClaims): Promise<InviteWithToken[]> {
  const byId = new Map<string, InviteTokenClaims>(r.claims.map((c) => [c.inviteId, c]));
  return Promise.all(
    r.invites.map(async (i) => ({ ...i, token: await signInviteToken(byId.get(i.id)!, ctx.jwtSecret) })),
  );
}

const subject = (ids: string[]) => (ids.length === 1 ? ids[0] : `${ids.length}`);

export async function createInvites(
  ctx: UsermodClient,
  invites: NewInvite[],
  options: RunOptions & BulkOptions = {},
): Promise<InviteWithToken[]> {
  return (await importInvites(ctx, invites, options)).invites;
}

/** The most invites one call takes: its input stays well under Temporal's 2 MB payload limit. */
export const MAX_INVITES_PER_CALL = 10_000;

export interface BulkOptions {
  /** Invites per batch (child run) above which a call is split; default 500 (workflows/bulk-invites.ts). */
  batchSize?: number;
  /** Leave out e-mails that have a user or a live invite, or repeat, instead of failing the call. */
  skipExisting?: boolean;
}

/**
 * Creates the invites in one call (in batches when many: one saga, all or nothing) and answers the
 * invites made with their tokens, and with `skipExisting` the e-mails left out.
 */
export async function importInvites(
  ctx: UsermodClient,
  invites: NewInvite[],
  options: RunOptions & BulkOptions = {},
): Promise<{ invites: InviteWithToken[]; skipped: string[] }> {
  if (invites.length === 0) return { invites: [], skipped: [] };
  if (invites.length > MAX_INVITES_PER_CALL) {
    throw invalidData(`Too many invites in one call: ${invites.length} (at most ${MAX_INVITES_PER_CALL})`);
  }
  const { batchSize, skipExisting, ...run } = options;
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 1000)) {
    throw invalidData(`Invalid batch size: ${batchSize} (a whole number from 1 to 1000)`);
  }
  invites = invites.map((i) => parse(newInvite, i, 'invite'));
  const r = await runFlow(
    ctx,
    'createInvites',
    { invites, ...(batchSize ? { batchSize } : {}), ...(skipExisting ? { skipExisting } : {}) },
    { summary: `create ${invites.length} invite(s)`, ...run },
  );
  // A bulk call's invites are in its batches' results (each far below the payload limit).
  const parts = r.batches
    ? await Promise.all(
        r.batches.map((id) => ctx.client.workflow.getHandle<() => Promise<InvitesWithClaims>>(id).result()),
      )
    : [r];
  const all: InvitesWithClaims = { invites: parts.flatMap((p) => p.invites), claims: parts.flatMap((p) => p.claims) };
  return { invites: await withTokens(ctx, all), skipped: parts.flatMap((p) => p.skipped ?? []) };
}

/** Resend: a new token and expiry for each invite; earlier tokens stop working. */
export async function refreshInviteTokens(
  ctx: UsermodClient,
  inviteIds: string[],
  options: RunOptions = {},
): Promise<InviteWithToken[]> {
  const r = await runFlow(
    ctx,
    'refreshInviteTokens',
    { inviteIds },
    {
      subject: subject(inviteIds),
      summary: `resend invite(s) ${inviteIds.join(', ')}`,
      ...options,
    },
  );
  return withTokens(ctx, r);
}

/** Revoke: a soft delete, so the invites' tokens stop working. */
export function deleteInvites(
  ctx: UsermodClient,
  inviteIds: string[],
  options: RunOptions = {},
): Promise<{ ids: string[] }> {
  return runFlow(
    ctx,
    'deleteInvites',
    { ids: inviteIds },
    {
      subject: subject(inviteIds),
      summary: `revoke invite(s) ${inviteIds.join(', ')}`,
      ...options,
    },
  );
}

export interface AcceptInviteRequest {
  token: string;
  /** One-step accept: the password of the new login. */
  password?: string;
  /** Two-step accept: the unlinked identity the caller registered. */
  authIdentityId?: string;
  user?: { email?: string | null; first_name?: string | null; last_name?: string | null };
  /** The invite's e-mail, when the caller can read it: the password policy refuses it as a password. */
  inviteEmail?: (inviteId: string) => Promise<string | undefined>;
}

/**
 * The token's signature and expiry are checked here; only its hash and the password's scrypt hash
 * enter the workflow, both sealed (auth/seal.ts), so neither secret nor hash is readable in history.
 */
export async function acceptInvite(
  ctx: UsermodClient,
  req: AcceptInviteRequest,
  options: RunOptions = {},
): Promise<UserAccount> {
  const { inviteId, tokenHash } = await verifyInviteToken(req.token, ctx.jwtSecret);
  if ((req.password === undefined) === (req.authIdentityId === undefined)) {
    throw invalidData('Accepting an invite needs either a password or a registered identity, not both');
  }
  if (req.password !== undefined) {
    checkPassword(req.password, { email: (await req.inviteEmail?.(inviteId)) ?? req.user?.email ?? undefined });
  }
  // Both hashes sealed: in history they are readable by workers only, not through the codec server.
  const passwordHash =
    req.password !== undefined ? ctx.seal.seal(await hashPassword(req.password), 'password_hash') : undefined;
  const input = {
    inviteId,
    tokenHash: ctx.seal.seal(tokenHash, 'token_hash'),
    passwordHash,
    authIdentityId: req.authIdentityId,
    user: req.user ?? {},
  };
  // Without an idempotency key each attempt is its own run: concurrent accepts never join each other.
  return runFlow(ctx, 'acceptInvite', input, { subject: inviteId, summary: `accept invite ${inviteId}`, ...options });
}

export async function createUserAccount(
  ctx: UsermodClient,
  input: { email: string; password: string; first_name?: string | null; last_name?: string | null },
  options: RunOptions = {},
): Promise<UserAccount> {
  checkPassword(input.password, { email: input.email });
  const user = parse(newUser, { email: input.email, first_name: input.first_name, last_name: input.last_name }, 'user');
  const account = {
    email: user.email,
    passwordHash: ctx.seal.seal(await hashPassword(input.password), 'password_hash'),
    first_name: user.first_name,
    last_name: user.last_name,
  };
  return runFlow(ctx, 'createUserAccount', account, { summary: 'create a user account', ...options });
}
