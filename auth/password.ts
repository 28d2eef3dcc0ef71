import * as ScryptModule from 'scrypt-kdf';
import { invalidData } from '../domain';

// scrypt-kdf 4 exports one default object at run time, while its typings declare named functions.
const Scrypt = (ScryptModule as unknown as { default?: typeof ScryptModule }).default ?? ScryptModule;

// scrypt-kdf's defaults, as Medusa's emailpass provider: logN 15 (32 MiB), r 8, p 1.
const PARAMS = { logN: 15, r: 8, p: 1 } as const;

export const MIN_PASSWORD_LENGTH = 8;

export function checkPassword(password: unknown): asserts password is string {
  if (typeof password !== 'string') throw invalidData('Password should be a string');
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw invalidData(`Password must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
}

/** base64 scrypt-kdf hash, as stored in provider_identity.password_hash. */
export async function hashPassword(password: string): Promise<string> {
  checkPassword(password);
  return Buffer.from(await Scrypt.kdf(password, PARAMS)).toString('base64');
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await Scrypt.verify(Buffer.from(hash, 'base64'), password);
  } catch {
    return false;
  }
}
