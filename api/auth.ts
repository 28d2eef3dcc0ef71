import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Store } from '../store';
import { UsermodError, unauthorized } from '../store/errors';

export const SESSION_COOKIE = 'usermod_session';

/** What a bearer token (or session) says: Medusa's auth context. */
export interface AuthContext {
  actor_id: string;
  actor_type: 'user';
  auth_identity_id: string;
  app_metadata: Record<string, unknown>;
}

const key = (secret: string) => new TextEncoder().encode(secret);

export function signAuthToken(ctx: { authIdentityId: string; userId: string | null }, secret: string, expiresIn: string): Promise<string> {
  return new SignJWT({
    actor_id: ctx.userId ?? '',
    actor_type: 'user',
    auth_identity_id: ctx.authIdentityId,
    app_metadata: ctx.userId ? { user_id: ctx.userId } : {},
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key(secret));
}

export function presentedToken(req: FastifyRequest): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return bearer ?? (req.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
}

export async function verifyAuthToken(token: string, secret: string): Promise<AuthContext> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'] });
    if (payload.actor_type !== 'user' || typeof payload.auth_identity_id !== 'string' || typeof payload.actor_id !== 'string') {
      throw unauthorized('Unauthorized');
    }
    return payload as unknown as AuthContext;
  } catch (err) {
    if (err instanceof errors.JOSEError) throw unauthorized('Unauthorized');
    throw err;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

/**
 * Route guards. `registered`: a live user (a deleted user's token stops working at once).
 * `unregistered`: any valid token, e.g. the one `register` returns before an invite is accepted.
 */
export function authGuards(store: Store, secret: string) {
  async function fromRequest(req: FastifyRequest): Promise<AuthContext> {
    const token = presentedToken(req);
    if (!token) throw unauthorized('Unauthorized');
    return verifyAuthToken(token, secret);
  }
  return {
    async registered(req: FastifyRequest, _reply: FastifyReply) {
      const auth = await fromRequest(req);
      if (!auth.actor_id) throw unauthorized('Unauthorized');
      // Only "no such user" means the token is no good; a database that does not answer is a 503.
      await store.retrieveUser(auth.actor_id).catch((err: unknown) => {
        throw err instanceof UsermodError && err.type === 'not_found' ? unauthorized('Unauthorized') : err;
      });
      req.auth = auth;
    },
    async unregistered(req: FastifyRequest, _reply: FastifyReply) {
      req.auth = await fromRequest(req);
    },
    /** Auth when a token is given, none otherwise (the one-step invite accept). */
    async optional(req: FastifyRequest, _reply: FastifyReply) {
      if (presentedToken(req)) req.auth = await fromRequest(req);
    },
  };
}
