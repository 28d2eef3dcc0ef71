import { checkCredentials, checkPassword, hashPassword } from '../auth';
import { z } from 'zod';
import { invalidData } from '../domain';
import { email as emailSchema, parse } from '../domain/validation';
import { runFlow, type RunOptions, type UsermodClient } from './run';

/** Register an emailpass login (unlinked until an invite is accepted with it). */
export async function registerEmailpass(
  ctx: UsermodClient,
  email: unknown,
  password: unknown,
  options: RunOptions = {},
): Promise<{ authIdentityId: string }> {
  const normalized = checkCredentials(email, password);
  checkPassword(password, { email: normalized });
  // Sealed: the hash travels through Temporal readable by workers only, not by the codec server.
  const passwordHash = ctx.seal.seal(await hashPassword(password), 'password_hash');
  return runFlow(
    ctx,
    'registerEmailpass',
    { email: normalized, passwordHash },
    { summary: 'register an emailpass login', ...options },
  );
}

export async function updateEmailpassPassword(
  ctx: UsermodClient,
  email: unknown,
  password: unknown,
  options: RunOptions = {},
): Promise<void> {
  const normalized = checkCredentials(email, password);
  checkPassword(password, { email: normalized });
  // Sealed: the hash travels through Temporal readable by workers only, not by the codec server.
  const passwordHash = ctx.seal.seal(await hashPassword(password), 'password_hash');
  await runFlow(
    ctx,
    'updateEmailpassPassword',
    { email: normalized, passwordHash },
    { summary: 'update a password', ...options },
  );
}

/**
 * Starts the reset flow and resolves as soon as it has started: the lookup and the mail happen after
 * the answer, so the answer takes the same time whether or not the e-mail has a login. A malformed
 * e-mail is refused (that says nothing about any account).
 */
export async function requestPasswordReset(
  ctx: UsermodClient,
  identifier: unknown,
  options: RunOptions = {},
): Promise<void> {
  if (typeof identifier !== 'string' || identifier.trim() === '')
    throw invalidData("Invalid request: Field 'identifier' is required");
  const { email } = parse(z.object({ email: emailSchema }), { email: identifier }, 'request');
  await runFlow(
    ctx,
    'requestPasswordReset',
    { email },
    { summary: 'password reset request', ...options, startOnly: true },
  );
}
