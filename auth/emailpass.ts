import { z } from 'zod';
import { invalidData, unauthorized, type EmailpassLogin } from '../domain';
import { email as emailSchema, parse } from '../domain/validation';
import { hashPassword, verifyPassword } from './password';
import { passwordFingerprint, verifyResetToken } from './reset-token';

/** The one read these checks need (the store has it). */
export interface EmailpassLogins {
  findEmailpassLogin(email: string): Promise<EmailpassLogin | undefined>;
}

const credentials = z.object({ email: emailSchema });

/** The e-mail and password of a login request, checked for shape; returns the normalised e-mail. */
export function checkCredentials(email: unknown, password: unknown): string {
  if (typeof password !== 'string') throw invalidData('Password should be a string');
  if (typeof email !== 'string') throw invalidData('Email should be a string');
  return parse(credentials, { email }, 'credentials').email;
}

/** Same message for an unknown e-mail and a wrong password: no account enumeration. */
export async function authenticateEmailpass(
  logins: EmailpassLogins,
  email: unknown,
  password: unknown,
): Promise<{ authIdentityId: string; userId: string | null }> {
  const normalized = checkCredentials(email, password);
  const login = await logins.findEmailpassLogin(normalized);
  // Hash anyway when the e-mail is unknown, so timing does not tell which case it was.
  const ok = login?.passwordHash
    ? await verifyPassword(login.passwordHash, password as string)
    : (await hashPassword('x'.repeat(12)), false);
  if (!login || !ok) throw unauthorized('Invalid email or password');
  return { authIdentityId: login.authIdentityId, userId: login.userId };
}

/** The e-mail a reset token may set a new password for; the token dies with the old password (single use). */
export async function checkResetToken(logins: EmailpassLogins, token: string, secret: string): Promise<string> {
  const { entityId, fingerprint } = await verifyResetToken(token, secret);
  const login = await logins.findEmailpassLogin(entityId);
  if (!login?.passwordHash || passwordFingerprint(login.passwordHash) !== fingerprint)
    throw unauthorized('Invalid token');
  return entityId;
}
