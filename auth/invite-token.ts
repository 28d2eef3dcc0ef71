import { createHash } from 'node:crypto';
import { unauthorized, type InviteTokenClaims } from '../domain';
import { signToken, TokenRefused, verifyToken } from './jwt';

/** The invite token of these claims: the same claims always give the same token (workflows keep claims only). */
export function signInviteToken(c: InviteTokenClaims, secret: string): Promise<string> {
  return signToken('invite', { id: c.inviteId }, secret, { jti: c.jti, iat: c.iat, exp: c.exp });
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** What the database keeps of an invite token: the sha256 of the token these claims make. */
export async function inviteTokenHash(c: InviteTokenClaims, secret: string): Promise<string> {
  return hashToken(await signInviteToken(c, secret));
}

/**
 * Checks signature and expiry. Returns the invite id and the token's hash; the store then checks the
 * invite itself (exists, not revoked, not accepted, hash equal to the current token's).
 */
export async function verifyInviteToken(
  token: string,
  secret: string,
): Promise<{ inviteId: string; tokenHash: string }> {
  if (typeof token !== 'string' || token.length === 0) throw unauthorized('Invalid invite token: no token given');
  try {
    const payload = await verifyToken('invite', token, secret);
    if (typeof payload.id !== 'string' || typeof payload.jti !== 'string') {
      throw unauthorized('Invalid invite token: claims missing');
    }
    return { inviteId: payload.id, tokenHash: hashToken(token) };
  } catch (err) {
    if (err instanceof TokenRefused && err.reason === 'expired') throw unauthorized('The invite has expired');
    if (err instanceof TokenRefused) throw unauthorized('Invalid invite token: signature or format is not valid');
    throw err;
  }
}
