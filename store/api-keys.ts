import {
  invalidData,
  notFound,
  type ApiKeyDTO,
  type ApiKeyState,
  type CreateApiKeyInput,
  type Grantor,
} from '../domain';
import { pagingArgs, type ListConfig } from './list-options';
import type { Prisma, PrismaClient } from './prisma';
import { checkGrantIn } from './rbac';

type ApiKeyRow = Prisma.ApiKeyGetPayload<object>;

export const API_KEY_SORTABLE = ['id', 'title', 'created_at', 'updated_at', 'revoked_at', 'last_used_at'] as const;

/** Never the hash nor the salt; `token` is "" as Medusa answers for secret keys. */
export function toApiKeyDTO(k: ApiKeyRow, roles: string[]): ApiKeyDTO {
  return {
    id: k.id,
    title: k.title,
    type: 'secret',
    token: '',
    redacted: k.redacted,
    created_by: k.created_by,
    revoked_by: k.revoked_by,
    revoked_at: k.revoked_at?.toISOString() ?? null,
    last_used_at: k.last_used_at?.toISOString() ?? null,
    roles,
    created_at: k.created_at.toISOString(),
    updated_at: k.updated_at.toISOString(),
    deleted_at: k.deleted_at?.toISOString() ?? null,
  };
}

const missing = (id: string) => notFound(`API Key with id: ${id} was not found`);

export function apiKeyStore(prisma: PrismaClient) {
  async function rolesOf(ids: string[]): Promise<Record<string, string[]>> {
    const rows = await prisma.apiKeyRbacRole.findMany({
      where: { api_key_id: { in: ids } },
      orderBy: [{ api_key_id: 'asc' }, { role_id: 'asc' }],
    });
    const out: Record<string, string[]> = Object.fromEntries(ids.map((id) => [id, []]));
    for (const r of rows) out[r.api_key_id].push(r.role_id);
    return out;
  }

  const store = {
    /**
     * Creates a key with its roles; the creator must hold every policy of them (re-read here, in the
     * transaction). Idempotent: the id comes from the workflow. The hash arrives opened (activities).
     */
    async createApiKey(input: CreateApiKeyInput): Promise<ApiKeyDTO> {
      await prisma.$transaction(async (tx) => {
        if (await tx.apiKey.findUnique({ where: { id: input.id } })) return;
        const grantor: Grantor = { type: input.createdBy.startsWith('apk_') ? 'api_key' : 'user', id: input.createdBy };
        await checkGrantIn(tx, grantor, input.roleIds);
        await tx.apiKey.create({
          data: {
            id: input.id,
            title: input.title,
            redacted: input.redacted,
            token_hash: input.tokenHash,
            salt: input.salt,
            created_by: input.createdBy,
          },
        });
        await tx.apiKeyRbacRole.createMany({
          data: input.roleIds.map((role_id) => ({ api_key_id: input.id, role_id })),
          skipDuplicates: true,
        });
      });
      return store.retrieveApiKey(input.id);
    },

    /** Undoes createApiKey: the key and its role links, gone. */
    async purgeApiKey(id: string): Promise<void> {
      await prisma.$transaction([
        prisma.apiKeyRbacRole.deleteMany({ where: { api_key_id: id } }),
        prisma.apiKey.deleteMany({ where: { id } }),
      ]);
    },

    /** The key's revocation state, for the undo of a revoke or delete. */
    async apiKeyState(id: string): Promise<ApiKeyState> {
      const k = await prisma.apiKey.findFirst({ where: { id, deleted_at: null } });
      if (!k) throw missing(id);
      return {
        id,
        revoked_at: k.revoked_at?.toISOString() ?? null,
        revoked_by: k.revoked_by,
        deleted_at: null,
        updated_at: k.updated_at.toISOString(),
      };
    },

    /**
     * Revokes a key as of `revokedAt` (now, or later: a grace period). Idempotent: a retry with the same
     * `revokedAt` finds it done. A key already revoked (in the past) is refused as Medusa does.
     */
    async revokeApiKey(input: { id: string; revokedBy: string; revokedAt: string }): Promise<ApiKeyDTO> {
      const k = await prisma.apiKey.findFirst({ where: { id: input.id, deleted_at: null } });
      if (!k) throw missing(input.id);
      if (k.revoked_at?.toISOString() === new Date(input.revokedAt).toISOString()) return store.retrieveApiKey(k.id);
      if (k.revoked_at && k.revoked_at <= new Date())
        throw invalidData('There are 1 secret keys that are already revoked.');
      await prisma.apiKey.update({
        where: { id: k.id },
        data: { revoked_at: new Date(input.revokedAt), revoked_by: input.revokedBy },
      });
      return store.retrieveApiKey(k.id);
    },

    /** Undoes revokeApiKey and softDeleteApiKey: the state as it was. */
    async restoreApiKeyState(s: ApiKeyState): Promise<void> {
      await prisma.apiKey.updateMany({
        where: { id: s.id },
        data: {
          revoked_at: s.revoked_at ? new Date(s.revoked_at) : null,
          revoked_by: s.revoked_by,
          deleted_at: s.deleted_at ? new Date(s.deleted_at) : null,
          updated_at: new Date(s.updated_at),
        },
      });
    },

    /** Soft-deletes a key, only once it is revoked (revoked_at set and passed), as Medusa. */
    async softDeleteApiKey(id: string): Promise<void> {
      const k = await prisma.apiKey.findFirst({ where: { id } });
      if (!k) throw missing(id);
      if (k.deleted_at) return;
      if (!k.revoked_at || k.revoked_at > new Date())
        throw invalidData(`Cannot delete api keys that are not revoked - ${id}`);
      await prisma.apiKey.update({ where: { id }, data: { deleted_at: new Date() } });
    },

    // Reads.

    async retrieveApiKey(id: string): Promise<ApiKeyDTO> {
      const k = await prisma.apiKey.findFirst({ where: { id, deleted_at: null } });
      if (!k) throw missing(id);
      return toApiKeyDTO(k, (await rolesOf([id]))[id]);
    },

    async listAndCountApiKeys(filters: { q?: string }, config: ListConfig): Promise<[ApiKeyDTO[], number]> {
      const where: Prisma.ApiKeyWhereInput = {
        deleted_at: null,
        ...(filters.q ? { title: { contains: filters.q, mode: 'insensitive' } } : {}),
      };
      const [rows, count] = await prisma.$transaction([
        prisma.apiKey.findMany({ where, ...pagingArgs(config, API_KEY_SORTABLE) }),
        prisma.apiKey.count({ where }),
      ]);
      const roles = await rolesOf(rows.map((r) => r.id));
      return [rows.map((r) => toApiKeyDTO(r, roles[r.id])), count];
    },

    /** Keys a presented secret may be: this redacted form, live, not revoked yet (or within grace). */
    async apiKeyCandidates(redacted: string): Promise<{ id: string; token_hash: string }[]> {
      return prisma.apiKey.findMany({
        where: { redacted, deleted_at: null, OR: [{ revoked_at: null }, { revoked_at: { gt: new Date() } }] },
        select: { id: true, token_hash: true },
      });
    },

    /**
     * Records a key's use (not a flow: bookkeeping, as a session's expiry is), to the minute: a script's
     * every request would otherwise write the row.
     */
    async touchApiKey(id: string): Promise<void> {
      const now = new Date();
      await prisma.apiKey.updateMany({
        where: { id, OR: [{ last_used_at: null }, { last_used_at: { lt: new Date(now.getTime() - 60_000) } }] },
        data: { last_used_at: now },
      });
    },
  };
  return store;
}
