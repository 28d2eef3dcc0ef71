import { createHash, timingSafeEqual } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { unauthorized } from '../domain/errors';

/**
 * What an invite token is made of. A token is re-derivable from its claims and the secret (HS256 is
 * deterministic), so workflows carry only claims, never the token; the database keeps only its hash.
 */
export interface InviteTokenClaims {
  inviteId: string;
  jti: string;
  /** seconds since the epoch */
  iat: number;
  /** seconds since the epoch; equals the invite's expires_at */
  exp: number;
}

const key = (secret: string) => new TextEncoder().encode(secret);

export function signInviteToken(c: InviteTokenClaims, secret: string): Promise<string> {
  return new SignJWT({ id: c.inviteId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setJti(c.jti)
    .setIssuedAt(c.iat)
    .setExpirationTime(c.exp)
    .sign(key(secret));
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Constant-time comparison of two hex sha256 hashes. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/**
 * Checks signature and expiry. Returns the invite id and the token's hash; the store then checks the
 * invite itself (exists, not revoked, not accepted, hash equal to the current token's).
 */
export async function verifyInviteToken(token: string, secret: string): Promise<{ inviteId: string; tokenHash: string }> {
  if (typeof token !== 'string' || token.length === 0) throw unauthorized('Invalid invite token: no token given');
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'] });
    if (typeof payload.id !== 'string' || typeof payload.jti !== 'string') {
      throw unauthorized('Invalid invite token: claims missing');
    }
    return { inviteId: payload.id, tokenHash: hashToken(token) };
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw unauthorized('The invite has expired');
    if (err instanceof errors.JOSEError) throw unauthorized('Invalid invite token: signature or format is not valid');
    throw err;
  }
}
