import { z } from 'zod';
import type { PrismaClient, Prisma } from './prisma';
import { violatedConstraint } from './prisma';
import {
  invalidData,
  normalizeEmail,
  notFound,
  type CreateUserInput,
  type UserDTO,
  type UserFilters,
  type UserUpdate,
} from '../domain';
import { asArray, type ListConfig, pagingArgs } from './list-options';
import { assertSuperAdminLeft } from './rbac';
import { matches, newUser, parse, userUpdate as updateUserSchema } from '../domain/validation';

const createUserSchema = matches<CreateUserInput>()(
  newUser.extend({
    id: z
      .string()
      .regex(/^user_[0-9A-Z]{26}$/, 'must be user_<ULID>')
      .optional(),
  }),
);

export const USER_SORTABLE = ['id', 'email', 'first_name', 'last_name', 'created_at', 'updated_at'] as const;

type UserRow = Prisma.UserGetPayload<object>;

export function toUserDTO(u: UserRow): UserDTO {
  return {
    id: u.id,
    email: u.email,
    first_name: u.first_name,
    last_name: u.last_name,
    avatar_url: u.avatar_url,
    metadata: (u.metadata as Record<string, unknown> | null) ?? null,
    created_at: u.created_at.toISOString(),
    updated_at: u.updated_at.toISOString(),
    deleted_at: u.deleted_at?.toISOString() ?? null,
  };
}

const duplicateEmail = (e: string) => invalidData(`User with email: ${e}, already exists.`);

export function userStore(prisma: PrismaClient, newId: (prefix: string) => string) {
  function where(filters: UserFilters, withDeleted = false): Prisma.UserWhereInput {
    const ids = asArray(filters.id);
    const emails = asArray(filters.email)?.map(normalizeEmail);
    const q = filters.q?.trim();
    return {
      ...(withDeleted ? {} : { deleted_at: null }),
      ...(ids ? { id: { in: ids } } : {}),
      ...(emails ? { email: { in: emails } } : {}),
      ...(q
        ? {
            OR: (['first_name', 'last_name', 'email'] as const).map((f) => ({
              [f]: { contains: q, mode: 'insensitive' },
            })),
          }
        : {}),
    };
  }

  const store = {
    // Forward steps, each followed by the compensation that undoes it, then the reads.

    /**
     * Creates all users or none. E-mails must be unique among live users (case-insensitively).
     * Idempotent under retries: ids come from the workflow, so when an earlier attempt committed (and
     * only its completion was lost) the rows are already there and are returned as they are.
     */
    async createUsers(data: CreateUserInput[]): Promise<UserDTO[]> {
      const rows = data.map((d) => {
        const r = parse(createUserSchema, d, 'user');
        return { ...r, id: r.id ?? newId('user') };
      });
      const ids = rows.map((r) => r.id);
      const mine = await prisma.user.findMany({ where: { id: { in: ids } } });
      if (mine.length === ids.length) return ids.map((id) => toUserDTO(mine.find((u) => u.id === id)!));
      const seen = new Set<string>();
      for (const r of rows) {
        if (seen.has(r.email)) throw duplicateEmail(r.email);
        seen.add(r.email);
      }
      const taken = await prisma.user.findFirst({
        where: { email: { in: [...seen] }, deleted_at: null },
        select: { email: true },
      });
      if (taken) throw duplicateEmail(taken.email);
      try {
        const created = await prisma.user.createManyAndReturn({
          data: rows.map((r) => ({
            id: r.id,
            email: r.email,
            first_name: r.first_name ?? null,
            last_name: r.last_name ?? null,
            avatar_url: r.avatar_url ?? null,
            metadata: (r.metadata ?? undefined) as Prisma.InputJsonValue | undefined,
          })),
        });
        const byId = new Map(created.map((u) => [u.id, u]));
        // createManyAndReturn does not promise input order; callers rely on it.
        return rows.map((r) => toUserDTO(byId.get(r.id)!));
      } catch (err) {
        // A concurrent writer took the e-mail between the check and the insert.
        if (violatedConstraint(err) === 'user_email_live_key') {
          const clash = await prisma.user.findFirst({ where: { email: { in: [...seen] }, deleted_at: null } });
          throw duplicateEmail(clash?.email ?? [...seen].join(', '));
        }
        if (violatedConstraint(err) === 'user_pkey') throw invalidData('User with id already exists.');
        throw err;
      }
    },

    /** Undoes createUsers: hard-deletes exactly these ids; the identities' link is cleared by the foreign key. */
    async deleteUsers(ids: string[]): Promise<void> {
      await prisma.user.deleteMany({ where: { id: { in: ids } } });
    },

    /** The live users an update or delete starts from (the snapshot its compensation puts back). */
    async usersForUpdate(ids: string[]): Promise<UserDTO[]> {
      const found = await prisma.user.findMany({ where: { id: { in: ids }, deleted_at: null } });
      const missing = ids.find((id) => !found.some((u) => u.id === id));
      if (missing) throw notFound(`User with id "${missing}" not found`);
      return ids.map((id) => toUserDTO(found.find((u) => u.id === id)!));
    },

    async updateUsers(data: UserUpdate[]): Promise<UserDTO[]> {
      const rows = data.map((d) => parse(updateUserSchema, d, 'user update'));
      return prisma.$transaction(async (tx) => {
        const out: UserDTO[] = [];
        for (const { id, ...fields } of rows) {
          const patch: Prisma.UserUpdateManyMutationInput = {};
          if (fields.first_name !== undefined) patch.first_name = fields.first_name;
          if (fields.last_name !== undefined) patch.last_name = fields.last_name;
          if (fields.avatar_url !== undefined) patch.avatar_url = fields.avatar_url;
          if (fields.metadata !== undefined) {
            patch.metadata = (fields.metadata ?? null) as Prisma.InputJsonValue;
          }
          const { count } = await tx.user.updateMany({ where: { id, deleted_at: null }, data: patch });
          if (count === 0) throw notFound(`User with id "${id}" not found`);
          out.push(toUserDTO(await tx.user.findUniqueOrThrow({ where: { id } })));
        }
        return out;
      });
    },

    /** Undoes updateUsers: every updatable field and updated_at back to the snapshot. */
    async restoreUserSnapshots(users: UserDTO[]): Promise<void> {
      await prisma.$transaction(
        users.map((u) =>
          prisma.user.updateMany({
            where: { id: u.id },
            data: {
              first_name: u.first_name,
              last_name: u.last_name,
              avatar_url: u.avatar_url,
              metadata: (u.metadata ?? null) as Prisma.InputJsonValue,
              updated_at: new Date(u.updated_at),
            },
          }),
        ),
      );
    },

    /** Returns the ids actually soft-deleted now (already deleted or missing ids are skipped). */
    async softDeleteUsers(ids: string[]): Promise<string[]> {
      return prisma.$transaction(async (tx) => {
        const live = await tx.user.findMany({ where: { id: { in: ids }, deleted_at: null }, select: { id: true } });
        const liveIds = live.map((u) => u.id);
        // RBAC: someone must be left holding Super Admin (checked under a lock, race-safe).
        await assertSuperAdminLeft(tx, { deletingUsers: liveIds });
        await tx.user.updateMany({ where: { id: { in: liveIds } }, data: { deleted_at: new Date() } });
        return liveIds;
      });
    },

    /** Undoes softDeleteUsers; given a row's previous updated_at, puts that back too (exact compensation). */
    async restoreUsers(rows: (string | { id: string; updated_at: string })[]): Promise<void> {
      try {
        await prisma.$transaction(
          rows.map((r) =>
            typeof r === 'string'
              ? prisma.user.updateMany({ where: { id: r }, data: { deleted_at: null } })
              : prisma.user.updateMany({
                  where: { id: r.id },
                  data: { deleted_at: null, updated_at: new Date(r.updated_at) },
                }),
          ),
        );
      } catch (err) {
        if (violatedConstraint(err) === 'user_email_live_key') {
          throw invalidData('Cannot restore user: another live user has the same email.');
        }
        throw err;
      }
    },

    async retrieveUser(id: string, options: { withDeleted?: boolean } = {}): Promise<UserDTO> {
      if (!id) throw invalidData('user - id must be defined');
      const u = await prisma.user.findFirst({ where: { id, ...(options.withDeleted ? {} : { deleted_at: null }) } });
      if (!u) throw notFound(`User with id: ${id} was not found`);
      return toUserDTO(u);
    },

    async listUsers(filters: UserFilters = {}, config: ListConfig = {}): Promise<UserDTO[]> {
      const rows = await prisma.user.findMany({
        where: where(filters, config.withDeleted),
        ...pagingArgs(config, USER_SORTABLE),
      });
      return rows.map(toUserDTO);
    },

    async listAndCountUsers(filters: UserFilters = {}, config: ListConfig = {}): Promise<[UserDTO[], number]> {
      const w = where(filters, config.withDeleted);
      const paging = pagingArgs(config, USER_SORTABLE);
      const [rows, count] = await prisma.$transaction([
        prisma.user.findMany({ where: w, ...paging }),
        prisma.user.count({ where: w }),
      ]);
      return [rows.map(toUserDTO), count];
    },
  };
  return store;
}
