import { createHash } from 'node:crypto';
import { unauthorized } from '../domain';
import { signToken, TokenRefused, verifyToken } from './jwt';

export const RESET_TOKEN_TTL_SECONDS = 15 * 60;

/**
 * Fingerprint of the current password hash: the token names it, so it stops working the moment the
 * password changes (single use, unlike Medusa's reusable reset tokens), with nothing stored.
 */
export const passwordFingerprint = (passwordHash: string) =>
  createHash('sha256').update(passwordHash).digest('hex').slice(0, 32);

export function signResetToken(entityId: string, passwordHash: string, secret: string): Promise<string> {
  const claims = {
    entity_id: entityId,
    provider: 'emailpass',
    actor_type: 'user',
    pwf: passwordFingerprint(passwordHash),
  };
  return signToken('reset', claims, secret, { exp: `${RESET_TOKEN_TTL_SECONDS}s` });
}

export async function verifyResetToken(
  token: string,
  secret: string,
): Promise<{ entityId: string; fingerprint: string }> {
  try {
    const payload = await verifyToken('reset', token, secret);
    if (typeof payload.entity_id !== 'string' || typeof payload.pwf !== 'string') throw unauthorized('Invalid token');
    return { entityId: payload.entity_id, fingerprint: payload.pwf };
  } catch (err) {
    if (err instanceof TokenRefused) throw unauthorized('Invalid token');
    throw err;
  }
}
