import type { PrismaClient } from './prisma';

/**
 * Signed-in sessions (table auth_session). Written by the API itself, not by a flow: a session is the
 * API's short-lived record of a login, like a rate-limit counter, and no flow's outcome depends on it.
 */
export interface SessionState {
  authIdentityId: string;
  /** The fingerprint of the password the session was issued under. */
  credentialFingerprint: string | null;
  /** Whether the identity still exists (a removed user's logins are deleted). */
  identityExists: boolean;
  /** The identity's user, when linked; `userLive` false when that user is deleted. */
  userId: string | null;
  userLive: boolean;
  /** The identity's current emailpass password hash (to compare fingerprints; never leaves the API). */
  passwordHash: string | null;
}

export function sessionStore(prisma: PrismaClient) {
  return {
    async createSession(s: {
      id: string;
      authIdentityId: string;
      credentialFingerprint: string | null;
      expiresAt: Date;
    }): Promise<void> {
      await prisma.authSession.create({
        data: {
          id: s.id,
          auth_identity_id: s.authIdentityId,
          credential_fingerprint: s.credentialFingerprint,
          expires_at: s.expiresAt,
        },
      });
    },

    /** The session and what the guard checks it against, in one query; undefined when gone or expired. */
    async sessionState(id: string): Promise<SessionState | undefined> {
      const rows = await prisma.$queryRaw<
        {
          auth_identity_id: string;
          credential_fingerprint: string | null;
          identity_id: string | null;
          user_id: string | null;
          user_live: boolean | null;
          password_hash: string | null;
        }[]
      >`
        SELECT s.auth_identity_id, s.credential_fingerprint, ai.id AS identity_id, ai.user_id,
               (u.id IS NOT NULL AND u.deleted_at IS NULL) AS user_live, p.password_hash
        FROM auth_session s
        LEFT JOIN auth_identity ai ON ai.id = s.auth_identity_id
        LEFT JOIN "user" u ON u.id = ai.user_id
        LEFT JOIN provider_identity p ON p.auth_identity_id = ai.id AND p.provider = 'emailpass'
        WHERE s.id = ${id} AND s.expires_at > now()
        LIMIT 1`;
      const r = rows[0];
      if (!r) return undefined;
      return {
        authIdentityId: r.auth_identity_id,
        credentialFingerprint: r.credential_fingerprint,
        identityExists: r.identity_id !== null,
        userId: r.user_id,
        userLive: r.user_live === true,
        passwordHash: r.password_hash,
      };
    },

    /** The emailpass password hash a new session is issued under (its fingerprint is stored, not the hash). */
    async passwordHashOf(authIdentityId: string): Promise<string | null> {
      const p = await prisma.providerIdentity.findFirst({
        where: { auth_identity_id: authIdentityId, provider: 'emailpass' },
        select: { password_hash: true },
      });
      return p?.password_hash ?? null;
    },

    /** Logout: the session's every bearer and cookie stop working. Idempotent. */
    async deleteSession(id: string): Promise<void> {
      await prisma.authSession.deleteMany({ where: { id } });
    },

    /** A refreshed bearer keeps its session and extends it. */
    async extendSession(id: string, expiresAt: Date): Promise<void> {
      await prisma.authSession.updateMany({ where: { id }, data: { expires_at: expiresAt } });
    },

    /** Sessions past their expiry (run now and then; an expired session is refused anyway). */
    async purgeExpiredSessions(): Promise<number> {
      const { count } = await prisma.authSession.deleteMany({ where: { expires_at: { lte: new Date() } } });
      return count;
    },
  };
}
