import * as ScryptModule from 'scrypt-kdf';
import { invalidData } from '../domain';
import { checkPasswordPolicy } from './password-policy';

// scrypt-kdf 4 exports one default object at run time, while its typings declare named functions.
const Scrypt = (ScryptModule as unknown as { default?: typeof ScryptModule }).default ?? ScryptModule;

// scrypt-kdf's defaults, as Medusa's emailpass provider: logN 15 (32 MiB), r 8, p 1.
const PARAMS = { logN: 15, r: 8, p: 1 } as const;

export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-policy';

/**
 * A new password must pass the policy (auth/password-policy.ts); give the login's e-mail when known,
 * so that the e-mail itself is refused as a password.
 */
export function checkPassword(password: unknown, context: { email?: string } = {}): asserts password is string {
  checkPasswordPolicy(password, context);
}

/** base64 scrypt-kdf hash, as stored in provider_identity.password_hash. */
export async function hashPassword(password: string): Promise<string> {
  if (typeof password !== 'string') throw invalidData('Password should be a string');
  return Buffer.from(await Scrypt.kdf(password, PARAMS)).toString('base64');
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await Scrypt.verify(Buffer.from(hash, 'base64'), password);
  } catch {
    return false;
  }
}
