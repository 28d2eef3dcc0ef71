import { unauthorized } from '../domain';
import { signToken, TokenRefused, verifyToken } from './jwt';

/** What a bearer token (or session cookie) says: Medusa's auth context. */
export interface AuthContext {
  actor_id: string;
  actor_type: 'user';
  auth_identity_id: string;
  app_metadata: Record<string, unknown>;
}

export function signSessionToken(
  ctx: { authIdentityId: string; userId: string | null },
  secret: string,
  expiresIn: string,
): Promise<string> {
  const claims = {
    actor_id: ctx.userId ?? '',
    actor_type: 'user',
    auth_identity_id: ctx.authIdentityId,
    app_metadata: ctx.userId ? { user_id: ctx.userId } : {},
  };
  return signToken('session', claims, secret, { exp: expiresIn });
}

export async function verifySessionToken(token: string, secret: string): Promise<AuthContext> {
  try {
    const payload = await verifyToken('session', token, secret);
    if (
      payload.actor_type !== 'user' ||
      typeof payload.auth_identity_id !== 'string' ||
      typeof payload.actor_id !== 'string'
    ) {
      throw unauthorized('Unauthorized');
    }
    return payload as unknown as AuthContext;
  } catch (err) {
    if (err instanceof TokenRefused) throw unauthorized('Unauthorized');
    throw err;
  }
}
