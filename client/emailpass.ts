import { checkPassword, hashPassword, verifyPassword } from '../auth/password';
import type { Store } from '../store';
import { invalidData, unauthorized } from '../store/errors';
import { email as emailSchema, parse } from '../store/validation';
import { registerEmailpassWorkflow, updateEmailpassPasswordWorkflow } from '../workflows/emailpass';
import { requestPasswordResetWorkflow } from '../workflows/password-reset';
import { passwordFingerprint, verifyResetToken } from '../auth/reset-token';
import { z } from 'zod';
import { runFlow, type RunOptions, type UsermodClient } from './run';

const credentials = z.object({ email: emailSchema });

function checkCredentials(email: unknown, password: unknown): string {
  if (typeof password !== 'string') throw invalidData('Password should be a string');
  if (typeof email !== 'string') throw invalidData('Email should be a string');
  return parse(credentials, { email }, 'credentials').email;
}

/** Register an emailpass login (unlinked until an invite is accepted with it). */
export async function registerEmailpass(ctx: UsermodClient, email: unknown, password: unknown, options: RunOptions = {}): Promise<{ authIdentityId: string }> {
  const normalized = checkCredentials(email, password);
  checkPassword(password);
  const passwordHash = await hashPassword(password as string);
  return runFlow(ctx, registerEmailpassWorkflow, 'auth-register', [{ email: normalized, passwordHash }], { summary: 'register an emailpass login', ...options });
}

/** Same message for an unknown e-mail and a wrong password: no account enumeration. */
export async function authenticateEmailpass(store: Store, email: unknown, password: unknown): Promise<{ authIdentityId: string; userId: string | null }> {
  const normalized = checkCredentials(email, password);
  const login = await store.findEmailpassLogin(normalized);
  // Hash anyway when the e-mail is unknown, so timing does not tell which case it was.
  const ok = login?.passwordHash ? await verifyPassword(login.passwordHash, password as string) : (await hashPassword('x'.repeat(12)), false);
  if (!login || !ok) throw unauthorized('Invalid email or password');
  return { authIdentityId: login.authIdentityId, userId: login.userId };
}

export async function updateEmailpassPassword(ctx: UsermodClient, email: unknown, password: unknown, options: RunOptions = {}): Promise<void> {
  const normalized = checkCredentials(email, password);
  const passwordHash = await hashPassword(password as string);
  await runFlow(ctx, updateEmailpassPasswordWorkflow, 'auth-password-update', [{ email: normalized, passwordHash }], { summary: 'update a password', ...options });
}

/**
 * Starts the reset flow and resolves as soon as it has started: the lookup and the mail happen after
 * the answer, so the answer takes the same time whether or not the e-mail has a login.
 */
export async function requestPasswordReset(ctx: UsermodClient, identifier: unknown, options: RunOptions = {}): Promise<void> {
  if (typeof identifier !== 'string' || identifier.trim() === '') throw invalidData("Invalid request: Field 'identifier' is required");
  const email = parse(z.object({ identifier: emailSchema }), { identifier }, 'request').identifier;
  await runFlow(ctx, requestPasswordResetWorkflow, 'auth-password-reset', [{ email }], {
    summary: 'password reset request',
    ...options,
    startOnly: true,
  });
}

/** Sets a new password with a reset token; the token dies with the old password (single use). */
export async function resetPassword(ctx: UsermodClient, store: Store, token: string, password: unknown, options: RunOptions = {}): Promise<void> {
  const { entityId, fingerprint } = await verifyResetToken(token, ctx.jwtSecret);
  const login = await store.findEmailpassLogin(entityId);
  if (!login?.passwordHash || passwordFingerprint(login.passwordHash) !== fingerprint) throw unauthorized('Invalid token');
  await updateEmailpassPassword(ctx, entityId, password, options);
}
