import { unauthorized } from '../domain';
import { signToken, TokenRefused, verifyToken } from './jwt';

/** What a bearer token (or session cookie) says: Medusa's auth context. */
export interface AuthContext {
  actor_id: string;
  actor_type: 'user';
  auth_identity_id: string;
  app_metadata: Record<string, unknown>;
}

/** A verified session token: its auth context, the server-side session it names, and when it expires. */
export interface SessionClaims {
  auth: AuthContext;
  /** The auth_session row: the token is good only while that row is (api/sessions.ts). */
  sessionId: string;
  /** Seconds since the epoch. */
  exp: number;
}

export function signSessionToken(
  ctx: { authIdentityId: string; userId: string | null; sessionId: string },
  secret: string,
  expiresIn: string,
): Promise<string> {
  const claims = {
    actor_id: ctx.userId ?? '',
    actor_type: 'user',
    auth_identity_id: ctx.authIdentityId,
    app_metadata: ctx.userId ? { user_id: ctx.userId } : {},
    sid: ctx.sessionId,
  };
  return signToken('session', claims, secret, { exp: expiresIn });
}

export async function verifySessionToken(token: string, secret: string): Promise<SessionClaims> {
  try {
    const payload = await verifyToken('session', token, secret);
    const { actor_id, actor_type, auth_identity_id, app_metadata, sid, exp } = payload as Record<string, unknown>;
    if (
      actor_type !== 'user' ||
      typeof auth_identity_id !== 'string' ||
      typeof actor_id !== 'string' ||
      typeof sid !== 'string' ||
      typeof exp !== 'number'
    ) {
      throw unauthorized('Unauthorized');
    }
    const auth: AuthContext = {
      actor_id,
      actor_type,
      auth_identity_id,
      app_metadata: (app_metadata as Record<string, unknown> | undefined) ?? {},
    };
    return { auth, sessionId: sid, exp };
  } catch (err) {
    if (err instanceof TokenRefused) throw unauthorized('Unauthorized');
    throw err;
  }
}
