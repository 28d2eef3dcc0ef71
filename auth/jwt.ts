import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';

/**
 * Every token usermod issues is an HS256 JWT signed with the one JWT_SECRET. The audience names what
 * a token is for, and verification demands it: a reset token is never a session, a session never an
 * invite, though they share the secret.
 */
export const AUDIENCE = {
  invite: 'usermod:invite',
  reset: 'usermod:password-reset',
  session: 'usermod:session',
} as const;

export type TokenKind = keyof typeof AUDIENCE;

export interface TokenTimes {
  /** Seconds since the epoch; now when omitted. Given, the token is deterministic (invite tokens). */
  iat?: number;
  /** Seconds since the epoch, or a span from now such as `15m`, `1d`. */
  exp: number | string;
  jti?: string;
}

/** Why a token was refused; each kind turns it into its own message. */
export class TokenRefused extends Error {
  constructor(readonly reason: 'expired' | 'invalid') {
    super(`token ${reason}`);
    this.name = 'TokenRefused';
  }
}

const key = (secret: string) => new TextEncoder().encode(secret);

export function signToken(kind: TokenKind, claims: JWTPayload, secret: string, times: TokenTimes): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setAudience(AUDIENCE[kind]);
  if (times.jti !== undefined) jwt.setJti(times.jti);
  return jwt.setIssuedAt(times.iat).setExpirationTime(times.exp).sign(key(secret));
}

/** The token's claims when it is a good token of this kind (signature, audience, expiry); TokenRefused otherwise. */
export async function verifyToken(kind: TokenKind, token: string, secret: string): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'], audience: AUDIENCE[kind] });
    return payload;
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new TokenRefused('expired');
    if (err instanceof errors.JOSEError) throw new TokenRefused('invalid');
    throw err;
  }
}
