import { invalidData } from '../domain';
import { runScrypt } from './password-pool';
import { checkPasswordPolicy } from './password-policy';

// scrypt-kdf's defaults, as Medusa's emailpass provider: logN 15 (32 MiB), r 8, p 1.
const PARAMS = { logN: 15, r: 8, p: 1 } as const;

export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-policy';
export { passwordPoolStats } from './password-pool';

/**
 * A new password must pass the policy (auth/password-policy.ts); give the login's e-mail when known,
 * so that the e-mail itself is refused as a password.
 */
export function checkPassword(password: unknown, context: { email?: string } = {}): asserts password is string {
  checkPasswordPolicy(password, context);
}

/**
 * base64 scrypt-kdf hash, as stored in provider_identity.password_hash. Computed on the password pool's
 * threads (auth/password-pool.ts), never on the caller's event loop.
 */
export async function hashPassword(password: string): Promise<string> {
  if (typeof password !== 'string') throw invalidData('Password should be a string');
  return runScrypt({ op: 'hash', password, params: PARAMS });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (typeof hash !== 'string' || typeof password !== 'string') return false;
  return runScrypt({ op: 'verify', hash, password });
}
