import {
  EMAILPASS,
  invalidData,
  normalizeEmail,
  notFound,
  type AuthIdentityDTO,
  type EmailpassLogin,
  type IdentitySnapshot,
  type NewEmailpassIdentity,
  type PasswordState,
} from '../domain';
import type { Prisma, PrismaClient } from './prisma';
import { violatedConstraint } from './prisma';

type Row = {
  id: string;
  user_id: string | null;
  updated_at: Date;
  provider_identities: { id: string; provider: string; entity_id: string }[];
};

const toDTO = (r: Row): AuthIdentityDTO => ({
  id: r.id,
  user_id: r.user_id,
  app_metadata: r.user_id ? { user_id: r.user_id } : {},
  updated_at: r.updated_at.toISOString(),
  provider_identities: r.provider_identities.map((p) => ({ id: p.id, provider: p.provider, entity_id: p.entity_id })),
});

const include = { provider_identities: { select: { id: true, provider: true, entity_id: true } } } as const;

type IdentityRow = Prisma.AuthIdentityGetPayload<{ include: { provider_identities: true } }>;

/** A login exactly as stored, password hash included. */
const toSnapshot = (r: IdentityRow): IdentitySnapshot => ({
  id: r.id,
  user_id: r.user_id,
  app_metadata: r.app_metadata,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
  providers: r.provider_identities.map((p) => ({
    id: p.id,
    provider: p.provider,
    entity_id: p.entity_id,
    password_hash: p.password_hash,
    user_metadata: p.user_metadata,
    provider_metadata: p.provider_metadata,
    created_at: p.created_at.toISOString(),
    updated_at: p.updated_at.toISOString(),
  })),
});

export function authStore(prisma: PrismaClient) {
  async function retrieveAuthIdentity(id: string): Promise<AuthIdentityDTO> {
    const r = await prisma.authIdentity.findUnique({ where: { id }, include });
    if (!r) throw notFound(`AuthIdentity with id "${id}" not found`);
    return toDTO(r);
  }

  return {
    // Forward steps, each followed by the compensation that undoes it, then the reads.

    /** Idempotent per id: a retried create returns the identity its first attempt made. */
    async createEmailpassIdentity(input: NewEmailpassIdentity): Promise<AuthIdentityDTO> {
      const existing = await prisma.authIdentity.findUnique({ where: { id: input.id }, include });
      if (existing) return toDTO(existing);
      try {
        const created = await prisma.authIdentity.create({
          data: {
            id: input.id,
            provider_identities: {
              create: {
                id: input.providerIdentityId,
                provider: EMAILPASS,
                entity_id: normalizeEmail(input.email),
                password_hash: input.passwordHash,
              },
            },
          },
          include,
        });
        return toDTO(created);
      } catch (err) {
        if (violatedConstraint(err) === 'provider_identity_provider_entity_id_key')
          throw invalidData('Identity with email already exists');
        throw err;
      }
    },

    /** Undoes createEmailpassIdentity: removes the identity and (cascade) its provider identities. */
    async deleteAuthIdentity(id: string): Promise<void> {
      await prisma.authIdentity.deleteMany({ where: { id } });
    },

    /**
     * An identity the caller registered before accepting: it must be unlinked and its e-mail must be
     * the invite's (Medusa binds neither).
     */
    async checkIdentityForAccept(authIdentityId: string, email: string): Promise<AuthIdentityDTO> {
      const identity = await retrieveAuthIdentity(authIdentityId);
      if (identity.user_id) throw invalidData('The identity is already linked to a user and cannot accept an invite');
      const login = identity.provider_identities.find((p) => p.provider === EMAILPASS);
      if (!login || login.entity_id !== normalizeEmail(email)) {
        throw invalidData('The identity was registered with a different email than the one the invite was sent to');
      }
      return identity;
    },

    /** Links an identity to a user; refused when it is linked to someone else. Idempotent. */
    async linkIdentity(authIdentityId: string, userId: string): Promise<void> {
      const { count } = await prisma.authIdentity.updateMany({
        where: { id: authIdentityId, OR: [{ user_id: null }, { user_id: userId }] },
        data: { user_id: userId },
      });
      if (count === 0) {
        const exists = await prisma.authIdentity.findUnique({ where: { id: authIdentityId } });
        if (!exists) throw notFound(`AuthIdentity with id "${authIdentityId}" not found`);
        throw invalidData('The identity is already linked to another user');
      }
    },

    /** Undoes linkIdentity: only undoes this very link (and puts back updated_at when known). */
    async unlinkIdentity(authIdentityId: string, userId: string, previousUpdatedAt?: string): Promise<void> {
      await prisma.authIdentity.updateMany({
        where: { id: authIdentityId, user_id: userId },
        data: { user_id: null, ...(previousUpdatedAt ? { updated_at: new Date(previousUpdatedAt) } : {}) },
      });
    },

    async identitySnapshots(userId: string): Promise<IdentitySnapshot[]> {
      const rows = await prisma.authIdentity.findMany({
        where: { user_id: userId },
        include: { provider_identities: true },
        orderBy: { id: 'asc' },
      });
      return rows.map(toSnapshot);
    },

    /**
     * The emailpass login holding this e-mail when it is linked to no user (registered, never accepted):
     * what an invite accept replaces, since the invitee proved the mailbox and the registrant did not.
     */
    async unlinkedEmailpassSnapshot(email: string): Promise<IdentitySnapshot | null> {
      const row = await prisma.authIdentity.findFirst({
        where: {
          user_id: null,
          provider_identities: { some: { provider: EMAILPASS, entity_id: normalizeEmail(email) } },
        },
        include: { provider_identities: true },
      });
      return row ? toSnapshot(row) : null;
    },

    async deleteAuthIdentities(ids: string[]): Promise<void> {
      await prisma.authIdentity.deleteMany({ where: { id: { in: ids } } });
    },

    /** Undoes deleteAuthIdentities: recreate the logins exactly; idempotent. */
    async recreateIdentities(snapshots: IdentitySnapshot[]): Promise<void> {
      const json = (v: unknown) => (v ?? undefined) as Prisma.InputJsonValue | undefined;
      for (const s of snapshots) {
        if (await prisma.authIdentity.findUnique({ where: { id: s.id } })) continue;
        await prisma.authIdentity.create({
          data: {
            id: s.id,
            user_id: s.user_id,
            app_metadata: json(s.app_metadata),
            created_at: new Date(s.created_at),
            updated_at: new Date(s.updated_at),
            provider_identities: {
              create: s.providers.map((p) => ({
                id: p.id,
                provider: p.provider,
                entity_id: p.entity_id,
                password_hash: p.password_hash,
                user_metadata: json(p.user_metadata),
                provider_metadata: json(p.provider_metadata),
                created_at: new Date(p.created_at),
                updated_at: new Date(p.updated_at),
              })),
            },
          },
        });
      }
    },

    /** The current password of a login, what a failed password update puts back. */
    async passwordState(email: string): Promise<PasswordState> {
      const p = await prisma.providerIdentity.findUnique({
        where: { provider_entity_id: { provider: EMAILPASS, entity_id: normalizeEmail(email) } },
      });
      if (!p?.password_hash) throw notFound(`ProviderIdentity with entity_id "${normalizeEmail(email)}" not found`);
      return { email: p.entity_id, passwordHash: p.password_hash, updated_at: p.updated_at.toISOString() };
    },

    async updateEmailpassPassword(email: string, passwordHash: string): Promise<void> {
      const { count } = await prisma.providerIdentity.updateMany({
        where: { provider: EMAILPASS, entity_id: normalizeEmail(email) },
        data: { password_hash: passwordHash },
      });
      if (count === 0) throw notFound(`ProviderIdentity with entity_id "${normalizeEmail(email)}" not found`);
    },

    /** Undoes updateEmailpassPassword: the previous hash and updated_at, exactly. */
    async restorePassword(state: PasswordState): Promise<void> {
      await prisma.providerIdentity.updateMany({
        where: { provider: EMAILPASS, entity_id: state.email },
        data: { password_hash: state.passwordHash, updated_at: new Date(state.updated_at) },
      });
    },

    retrieveAuthIdentity,

    /** The emailpass login for an e-mail, with its hash (for password checks only). */
    async findEmailpassLogin(email: string): Promise<EmailpassLogin | undefined> {
      const p = await prisma.providerIdentity.findUnique({
        where: { provider_entity_id: { provider: EMAILPASS, entity_id: normalizeEmail(email) } },
        include: { auth_identity: true },
      });
      return p
        ? { authIdentityId: p.auth_identity_id, userId: p.auth_identity.user_id, passwordHash: p.password_hash }
        : undefined;
    },
  };
}
