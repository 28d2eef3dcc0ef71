import { decodeJwt } from 'jose';
import type { FastifyRequest } from 'fastify';
import { passwordFingerprint, signSessionToken, verifySessionToken, type AuthContext } from '../auth';
import { unauthorized, type Grantor } from '../domain';
import { looksLikeApiKey, redactApiKey, verifiedKeyCache, verifyApiKey } from '../auth/api-key';
import type { Store } from '../store';
import { newId } from '../store/ids';

export const SESSION_COOKIE = 'usermod_session';

/** The bearer of the request, else its session cookie. */
export function presentedToken(req: FastifyRequest): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return bearer ?? (req.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
}

export interface Session {
  auth: AuthContext;
  sessionId: string;
}

// Expired rows are refused anyway; they are deleted now and then, by whichever API instance logs someone in.
const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * Sessions that end (issue 10, point 6). Every bearer and cookie names a server-side session (`sid`),
 * and is honoured only while
 * - its auth_session row exists and has not expired (logout deletes it),
 * - its identity still exists (removing a user deletes its logins: their sessions end at once),
 * - the identity's password is the one the session was issued under (a password change or reset ends
 *   every earlier session and bearer), and
 * - when it names a user, that user is live.
 * The last three are read from the very rows a flow changes, so an undone flow brings the same sessions
 * back and no flow ever touches this table.
 */
export function sessions(store: Store, secret: string, expiresIn: string) {
  let lastPurge = 0;
  const verified = verifiedKeyCache();

  async function sign(authIdentityId: string, userId: string | null, sessionId: string) {
    return signSessionToken({ authIdentityId, userId, sessionId }, secret, expiresIn);
  }

  return {
    /** A new session for a login that just proved its password (or was just registered). */
    async issue(authIdentityId: string, userId: string | null): Promise<string> {
      const sessionId = newId('sess');
      const token = await sign(authIdentityId, userId, sessionId);
      const passwordHash = await store.passwordHashOf(authIdentityId);
      await store.createSession({
        id: sessionId,
        authIdentityId,
        credentialFingerprint: passwordHash ? passwordFingerprint(passwordHash) : null,
        expiresAt: new Date((decodeJwt(token).exp ?? 0) * 1000),
      });
      if (Date.now() - lastPurge > PURGE_EVERY_MS) {
        lastPurge = Date.now();
        store.purgeExpiredSessions().catch(() => undefined);
      }
      return token;
    },

    /** The session a token names, checked against the database; 401 when it has ended. */
    async check(token: string): Promise<Session> {
      const { auth, sessionId } = await verifySessionToken(token, secret);
      const state = await store.sessionState(sessionId);
      const ended =
        !state ||
        !state.identityExists ||
        state.authIdentityId !== auth.auth_identity_id ||
        (state.credentialFingerprint ?? null) !==
          (state.passwordHash ? passwordFingerprint(state.passwordHash) : null) ||
        (auth.actor_id !== '' && (auth.actor_id !== state.userId || !state.userLive));
      if (ended) throw unauthorized('Unauthorized');
      return { auth, sessionId };
    },

    /** A new bearer for the same session, naming the identity's user as it is now; the session is extended. */
    async refresh(session: Session): Promise<string> {
      const state = await store.sessionState(session.sessionId);
      if (!state || (state.userId && !state.userLive)) throw unauthorized('Unauthorized');
      const token = await sign(state.authIdentityId, state.userId, session.sessionId);
      await store.extendSession(session.sessionId, new Date((decodeJwt(token).exp ?? 0) * 1000));
      return token;
    },

    /** Logout: the session's every bearer and cookie stop working. */
    end: (session: Session) => store.deleteSession(session.sessionId),

    /** RBAC: the roles and policy keys a user or API key holds now (api/guards.ts authorize). */
    permissionsOf: (actor: Grantor) => store.policyKeysOf(actor),

    /**
     * The live API key a secret is (unrevoked, or revoked with its grace still running), by its redacted
     * form and then scrypt (constant-time compare); its last use is recorded. Undefined: 401.
     */
    async apiKey(secret: string): Promise<string | undefined> {
      if (!looksLikeApiKey(secret)) return undefined;
      // The live keys with this redacted form, read on every request (revocation applies at once).
      for (const candidate of await store.apiKeyCandidates(redactApiKey(secret))) {
        if (verified.has(secret, candidate) || (await verifyApiKey(candidate.token_hash, secret))) {
          verified.add(secret, candidate);
          await store.touchApiKey(candidate.id);
          return candidate.id;
        }
      }
      return undefined;
    },
  };
}

export type Sessions = ReturnType<typeof sessions>;
