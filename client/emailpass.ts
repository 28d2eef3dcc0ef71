import { checkCredentials, checkPassword, hashPassword } from '../auth';
import { invalidData, normalizeEmail } from '../domain';
import { runFlow, type RunOptions, type UsermodClient } from './run';

/** Register an emailpass login (unlinked until an invite is accepted with it). */
export async function registerEmailpass(
  ctx: UsermodClient,
  email: unknown,
  password: unknown,
  options: RunOptions = {},
): Promise<{ authIdentityId: string }> {
  const normalized = checkCredentials(email, password);
  checkPassword(password);
  const passwordHash = await hashPassword(password);
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
  const passwordHash = await hashPassword(password as string);
  await runFlow(
    ctx,
    'updateEmailpassPassword',
    { email: normalized, passwordHash },
    { summary: 'update a password', ...options },
  );
}

/** Starts the reset flow; resolves the same way whether or not the e-mail has a login. */
export async function requestPasswordReset(
  ctx: UsermodClient,
  identifier: unknown,
  options: RunOptions = {},
): Promise<void> {
  if (typeof identifier !== 'string' || identifier.trim() === '')
    throw invalidData("Invalid request: Field 'identifier' is required");
  await runFlow(
    ctx,
    'requestPasswordReset',
    { email: normalizeEmail(identifier) },
    { summary: 'password reset request', ...options },
  );
}
