import { z } from 'zod';
import {
  DECLARED_POLICIES,
  ESCALATION_MESSAGE,
  LAST_SUPER_ADMIN_MESSAGE,
  SUPER_ADMIN_KEY,
  SUPER_ADMIN_LINK_ID,
  SUPER_ADMIN_POLICY_ID,
  SUPER_ADMIN_ROLE_ID,
  SUPER_ADMIN_ROLE_NAME,
  forbidden,
  invalidData,
  mayGrant,
  missingRolesMessage,
  notAllowed,
  notFound,
  type Metadata,
  type NewRole,
  type PolicyDTO,
  type RoleDTO,
  type RolePolicyDTO,
  type RolePolicyLink,
  type RoleSnapshot,
  type RoleUpdate,
  type UserDTO,
  type UserRoleLink,
  type Grantor,
} from '../domain';
import { matches, metadata, parse } from '../domain/validation';
import { newId } from './ids';
import { pagingArgs, type ListConfig } from './list-options';
import { Prisma as PrismaNS, violatedConstraint, type Prisma, type PrismaClient } from './prisma';
import { toUserDTO } from './users';

type Tx = Prisma.TransactionClient;
type RoleRow = Prisma.RbacRoleGetPayload<object>;
type PolicyRow = Prisma.RbacPolicyGetPayload<object>;

export const ROLE_SORTABLE = ['id', 'name', 'created_at', 'updated_at'] as const;
export const POLICY_SORTABLE = ['id', 'key', 'resource', 'operation', 'created_at', 'updated_at'] as const;

const roleName = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(255, { error: 'must be at most 255 characters' });
const newRoleSchema = matches<NewRole & { id: string }>()(
  z.strictObject({
    id: z.string().regex(/^role_[0-9A-Z]{26}$/, 'must be role_<ULID>'),
    name: roleName,
    description: z.string().max(1000).nullish(),
    metadata,
  }),
);
const roleUpdateSchema = matches<RoleUpdate>()(
  z.strictObject({
    id: z.string().min(1),
    name: roleName.optional(),
    description: z.string().max(1000).nullish(),
    metadata,
  }),
);

export function toRoleDTO(r: RoleRow): RoleDTO {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    metadata: (r.metadata as Metadata | null) ?? null,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
    deleted_at: r.deleted_at?.toISOString() ?? null,
  };
}

export function toPolicyDTO(p: PolicyRow): PolicyDTO {
  return {
    id: p.id,
    key: p.key,
    resource: p.resource,
    operation: p.operation,
    name: p.name,
    description: p.description,
    created_at: p.created_at.toISOString(),
    updated_at: p.updated_at.toISOString(),
    deleted_at: p.deleted_at?.toISOString() ?? null,
  };
}

const duplicateName = (name: string) => invalidData(`Role with name: ${name}, already exists.`);

/** Policy keys of the live policies of the given live roles. */
async function keysOfRoles(db: Tx | PrismaClient, roleIds: string[]): Promise<string[]> {
  if (roleIds.length === 0) return [];
  const rows = await db.$queryRaw<{ key: string }[]>`
    SELECT DISTINCT p.key FROM rbac_role_policy rp
      JOIN rbac_role r ON r.id = rp.role_id AND r.deleted_at IS NULL
      JOIN rbac_policy p ON p.id = rp.policy_id AND p.deleted_at IS NULL
     WHERE rp.role_id = ANY(${roleIds}::text[])`;
  return rows.map((r) => r.key).sort();
}

/** The live role ids a user (or API key) holds. */
async function roleIdsOf(db: Tx | PrismaClient, actor: Grantor): Promise<string[]> {
  const rows =
    actor.type === 'user'
      ? await db.$queryRaw<{ id: string }[]>`
          SELECT r.id FROM user_rbac_role ur JOIN rbac_role r ON r.id = ur.role_id AND r.deleted_at IS NULL
           WHERE ur.user_id = ${actor.id}`
      : await db.$queryRaw<{ id: string }[]>`
          SELECT r.id FROM api_key_rbac_role kr JOIN rbac_role r ON r.id = kr.role_id AND r.deleted_at IS NULL
           WHERE kr.api_key_id = ${actor.id}`;
  return rows.map((r) => r.id);
}

/** The ids among these that are not live roles (sorted as given). */
async function unknownRoles(db: Tx | PrismaClient, ids: string[]): Promise<string[]> {
  const live = await db.rbacRole.findMany({ where: { id: { in: ids }, deleted_at: null }, select: { id: true } });
  const found = new Set(live.map((r) => r.id));
  return [...new Set(ids)].filter((id) => !found.has(id));
}

/**
 * Refuses a grant the grantor could not make itself, read in the granting transaction (a role the
 * grantor lost a moment ago no longer counts). No grantor: the system (start-up, the CLI).
 */
async function checkGrant(tx: Tx, grantor: Grantor | undefined, roleIds: string[]): Promise<void> {
  if (!grantor) return;
  const held = await keysOfRoles(tx, await roleIdsOf(tx, grantor));
  if (!mayGrant(held, await keysOfRoles(tx, roleIds))) throw forbidden(ESCALATION_MESSAGE);
}

/**
 * Refuses a change that would leave no live user holding Super Admin. The Super Admin role row is
 * locked first, so concurrent removals are serialised and cannot both pass.
 */
export async function assertSuperAdminLeft(
  tx: Tx,
  change: { removingFrom?: string[]; deletingUsers?: string[] },
): Promise<void> {
  const losing = [...(change.removingFrom ?? []), ...(change.deletingUsers ?? [])];
  if (losing.length === 0) return;
  await tx.$queryRaw`SELECT id FROM rbac_role WHERE id = ${SUPER_ADMIN_ROLE_ID} FOR UPDATE`;
  const holders = await tx.$queryRaw<{ user_id: string }[]>`
    SELECT ur.user_id FROM user_rbac_role ur JOIN "user" u ON u.id = ur.user_id AND u.deleted_at IS NULL
     WHERE ur.role_id = ${SUPER_ADMIN_ROLE_ID}`;
  const ids = holders.map((h) => h.user_id);
  if (!ids.some((id) => losing.includes(id))) return;
  if (ids.every((id) => losing.includes(id))) throw notAllowed(LAST_SUPER_ADMIN_MESSAGE);
}

/** Roles granted to an API key: they must exist, and the grantor must hold every policy of them. */
export async function checkGrantIn(tx: Tx, grantor: Grantor, roleIds: string[]): Promise<void> {
  const unknown = await unknownRoles(tx, roleIds);
  if (unknown.length) throw invalidData(missingRolesMessage(unknown));
  await checkGrant(tx, grantor, roleIds);
}

/** Who an id names: API key ids start with `apk_`, anything else is a user. */
export const grantorOf = (id: string): Grantor => ({ type: id.startsWith('apk_') ? 'api_key' : 'user', id });

/**
 * An invite's roles, in the invite's creating transaction: they must exist, and the inviter (when
 * known) must hold every policy of them (no escalation through invites, beyond Medusa).
 */
export async function linkInviteRoles(
  tx: Tx,
  inviteId: string,
  roleIds: string[],
  invitedBy: string | null | undefined,
): Promise<void> {
  const ids = [...new Set(roleIds)];
  const unknown = await unknownRoles(tx, ids);
  if (unknown.length) throw invalidData(missingRolesMessage(unknown));
  await checkGrant(tx, invitedBy ? grantorOf(invitedBy) : undefined, ids);
  await tx.inviteRbacRole.createMany({
    data: ids.map((role_id) => ({ invite_id: inviteId, role_id })),
    skipDuplicates: true,
  });
}

/**
 * On accept, in its transaction: the invite's roles, given to its new user. A role deleted since the
 * invite refuses the accept, naming it.
 */
export async function grantInviteRoles(tx: Tx, inviteId: string, userId: string): Promise<void> {
  const ids = (await tx.inviteRbacRole.findMany({ where: { invite_id: inviteId }, orderBy: { role_id: 'asc' } })).map(
    (r) => r.role_id,
  );
  if (ids.length === 0) return;
  const unknown = await unknownRoles(tx, ids);
  if (unknown.length) throw invalidData(missingRolesMessage(unknown));
  await tx.userRbacRole.createMany({
    data: ids.map((role_id) => ({ user_id: userId, role_id })),
    skipDuplicates: true,
  });
}

export function rbacStore(prisma: PrismaClient) {
  const store = {
    /**
     * Start-up sync (every API and worker start; idempotent, safe when several start at once): the
     * declared policies exist and are live, those no longer declared are soft-deleted (never `*:*`),
     * and the Super Admin role holds `*:*`.
     */
    async syncRbac(): Promise<void> {
      await prisma.$transaction(async (tx) => {
        // One start at a time (many workers may start together).
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(72707370)`;
        for (const p of DECLARED_POLICIES) {
          await tx.rbacPolicy.upsert({
            where: { key: p.key },
            create: { id: newId('rpol'), key: p.key, resource: p.resource, operation: p.operation, name: p.name },
            update: { deleted_at: null, name: p.name, resource: p.resource, operation: p.operation },
          });
        }
        const declared = [...DECLARED_POLICIES.map((p) => p.key), SUPER_ADMIN_KEY];
        await tx.rbacPolicy.updateMany({
          where: { key: { notIn: declared }, deleted_at: null },
          data: { deleted_at: new Date() },
        });
        await tx.rbacPolicy.upsert({
          where: { key: SUPER_ADMIN_KEY },
          create: {
            id: SUPER_ADMIN_POLICY_ID,
            key: SUPER_ADMIN_KEY,
            resource: '*',
            operation: '*',
            name: 'SuperAdmin',
          },
          update: { deleted_at: null },
        });
        const policy = await tx.rbacPolicy.findUniqueOrThrow({ where: { key: SUPER_ADMIN_KEY } });
        const role = await tx.rbacRole.findUnique({ where: { id: SUPER_ADMIN_ROLE_ID } });
        if (!role) {
          await tx.rbacRole.create({
            data: { id: SUPER_ADMIN_ROLE_ID, name: SUPER_ADMIN_ROLE_NAME, description: 'Every permission (*:*)' },
          });
        } else if (role.deleted_at) {
          await tx.rbacRole.update({ where: { id: role.id }, data: { deleted_at: null } });
        }
        await tx.rbacRolePolicy.upsert({
          where: { role_id_policy_id: { role_id: SUPER_ADMIN_ROLE_ID, policy_id: policy.id } },
          create: { id: SUPER_ADMIN_LINK_ID, role_id: SUPER_ADMIN_ROLE_ID, policy_id: policy.id },
          update: {},
        });
      });
    },

    // Forward steps, each followed by its undo.

    /** Creates a role with its policy links; idempotent (the ids come from the workflow). */
    async createRole(
      input: NewRole & { id: string; policyLinks: RolePolicyLink[]; grantor?: Grantor },
    ): Promise<RoleDTO> {
      const { policyLinks, grantor, ...fields } = input;
      const data = parse(newRoleSchema, fields, 'role');
      try {
        return await prisma.$transaction(async (tx) => {
          const mine = await tx.rbacRole.findUnique({ where: { id: data.id } });
          if (mine) return toRoleDTO(mine);
          await checkPolicyGrant(
            tx,
            grantor,
            policyLinks.map((l) => l.policy_id),
          );
          const row = await tx.rbacRole.create({
            data: { ...data, metadata: (data.metadata ?? undefined) as Prisma.InputJsonValue | undefined },
          });
          await tx.rbacRolePolicy.createMany({ data: policyLinks, skipDuplicates: true });
          return toRoleDTO(row);
        });
      } catch (err) {
        if (violatedConstraint(err) === 'rbac_role_name_live_key') throw duplicateName(data.name);
        throw err;
      }
    },

    /** Undoes createRole: the role and its links, gone. */
    async purgeRole(id: string): Promise<void> {
      await prisma.$transaction([
        prisma.rbacRolePolicy.deleteMany({ where: { role_id: id } }),
        prisma.rbacRole.deleteMany({ where: { id } }),
      ]);
    },

    /** The live role as it is, for updateRole's or softDeleteRole's undo. */
    async roleSnapshot(id: string): Promise<RoleSnapshot> {
      const r = await prisma.rbacRole.findFirst({ where: { id, deleted_at: null } });
      if (!r) throw notFound(`Role with id "${id}" not found`);
      return {
        id: r.id,
        name: r.name,
        description: r.description,
        metadata: (r.metadata as Metadata | null) ?? null,
        deleted_at: null,
        updated_at: r.updated_at.toISOString(),
      };
    },

    async updateRole(update: RoleUpdate): Promise<RoleDTO> {
      const { id, ...data } = parse(roleUpdateSchema, update, 'role');
      try {
        const res = await prisma.rbacRole.updateMany({
          where: { id, deleted_at: null },
          data: {
            ...data,
            metadata: data.metadata === null ? PrismaNS.DbNull : (data.metadata as Prisma.InputJsonValue | undefined),
          },
        });
        if (res.count === 0) throw notFound(`Role with id "${id}" not found`);
      } catch (err) {
        if (violatedConstraint(err) === 'rbac_role_name_live_key') throw duplicateName(data.name!);
        throw err;
      }
      return toRoleDTO(await prisma.rbacRole.findUniqueOrThrow({ where: { id } }));
    },

    /** Undoes updateRole and softDeleteRole: the row exactly as the snapshot. */
    async restoreRole(s: RoleSnapshot): Promise<void> {
      await prisma.rbacRole.updateMany({
        where: { id: s.id },
        data: {
          name: s.name,
          description: s.description,
          metadata: s.metadata === null ? PrismaNS.DbNull : (s.metadata as Prisma.InputJsonValue),
          deleted_at: s.deleted_at ? new Date(s.deleted_at) : null,
          updated_at: new Date(s.updated_at),
        },
      });
    },

    /** Soft-deletes a role: its holders lose its policies at once. Super Admin is never deleted. */
    async softDeleteRole(id: string): Promise<void> {
      if (id === SUPER_ADMIN_ROLE_ID) throw notAllowed('The Super Admin role cannot be deleted');
      await prisma.rbacRole.updateMany({ where: { id, deleted_at: null }, data: { deleted_at: new Date() } });
    },

    /** Links policies to a role, refusing any the grantor does not hold itself; idempotent. */
    async addRolePolicies(input: { links: RolePolicyLink[]; grantor?: Grantor }): Promise<RolePolicyDTO[]> {
      return prisma.$transaction(async (tx) => {
        const roleIds = [...new Set(input.links.map((l) => l.role_id))];
        const live = await tx.rbacRole.count({ where: { id: { in: roleIds }, deleted_at: null } });
        if (live !== roleIds.length) throw notFound(`Role with id "${roleIds.join(', ')}" not found`);
        await checkPolicyGrant(
          tx,
          input.grantor,
          input.links.map((l) => l.policy_id),
        );
        await tx.rbacRolePolicy.createMany({ data: input.links, skipDuplicates: true });
        const rows = await tx.rbacRolePolicy.findMany({
          where: { role_id: { in: roleIds }, policy_id: { in: input.links.map((l) => l.policy_id) } },
        });
        return withPolicies(tx, rows);
      });
    },

    /** Undoes addRolePolicies (and is removeRolePolicies' forward step): exactly these links, gone. */
    async deleteRolePolicyLinks(ids: string[]): Promise<void> {
      if (ids.includes(SUPER_ADMIN_LINK_ID)) throw notAllowed('The Super Admin role cannot lose *:*');
      await prisma.rbacRolePolicy.deleteMany({ where: { id: { in: ids } } });
    },

    /** Undoes removeRolePolicies: the links as they were (same ids). */
    async restoreRolePolicyLinks(links: RolePolicyLink[]): Promise<void> {
      await prisma.rbacRolePolicy.createMany({ data: links, skipDuplicates: true });
    },

    /** Assigns roles to users; refuses unknown roles, and roles the grantor could not grant. Idempotent. */
    async assignUserRoles(input: { links: UserRoleLink[]; grantor?: Grantor }): Promise<void> {
      if (input.links.length === 0) return;
      await prisma.$transaction(async (tx) => {
        const roleIds = [...new Set(input.links.map((l) => l.role_id))];
        const unknown = await unknownRoles(tx, roleIds);
        if (unknown.length) throw invalidData(missingRolesMessage(unknown));
        const userIds = [...new Set(input.links.map((l) => l.user_id))];
        const users = await tx.user.count({ where: { id: { in: userIds }, deleted_at: null } });
        if (users !== userIds.length) throw notFound(`User with id "${userIds.join(', ')}" not found`);
        await checkGrant(tx, input.grantor, roleIds);
        await tx.userRbacRole.createMany({ data: input.links, skipDuplicates: true });
      });
    },

    /**
     * Removes role links from users (undo of assignUserRoles, and removeUserRoles' forward step).
     * Never leaves the installation without a live Super Admin.
     */
    async removeUserRoles(input: { links: UserRoleLink[]; grantor?: Grantor }): Promise<void> {
      if (input.links.length === 0) return;
      await prisma.$transaction(async (tx) => {
        await checkGrant(
          tx,
          input.grantor,
          input.links.map((l) => l.role_id),
        );
        await assertSuperAdminLeft(tx, {
          removingFrom: input.links.filter((l) => l.role_id === SUPER_ADMIN_ROLE_ID).map((l) => l.user_id),
        });
        await tx.userRbacRole.deleteMany({
          where: { OR: input.links.map((l) => ({ user_id: l.user_id, role_id: l.role_id })) },
        });
      });
    },

    /** Undoes a compensation-safe removal: the links back (no checks: they existed a moment ago). */
    async restoreUserRoles(links: UserRoleLink[]): Promise<void> {
      await prisma.userRbacRole.createMany({ data: links, skipDuplicates: true });
    },

    /** Undoes assignUserRoles when it is a compensation: removes exactly these links, unchecked. */
    async unassignUserRoles(links: UserRoleLink[]): Promise<void> {
      if (links.length === 0) return;
      await prisma.userRbacRole.deleteMany({
        where: { OR: links.map((l) => ({ user_id: l.user_id, role_id: l.role_id })) },
      });
    },

    // Reads.

    /** The live policy keys a user or API key holds now (read per request: never frozen into a token). */
    async policyKeysOf(actor: Grantor): Promise<{ roles: string[]; keys: string[] }> {
      const roles = await roleIdsOf(prisma, actor);
      return { roles, keys: await keysOfRoles(prisma, roles) };
    },

    /** Policy keys the given roles hold. */
    policyKeysOfRoles: (roleIds: string[]) => keysOfRoles(prisma, roleIds),

    /** The role ids of each invite (accept assigns them; the API shows them). */
    async inviteRoleIds(inviteIds: string[]): Promise<Record<string, string[]>> {
      const rows = await prisma.inviteRbacRole.findMany({
        where: { invite_id: { in: inviteIds } },
        orderBy: [{ invite_id: 'asc' }, { role_id: 'asc' }],
      });
      const out: Record<string, string[]> = Object.fromEntries(inviteIds.map((id) => [id, []]));
      for (const r of rows) out[r.invite_id].push(r.role_id);
      return out;
    },

    /** Which of these ids are not live roles. */
    unknownRoles: (ids: string[]) => unknownRoles(prisma, ids),

    /** The live policy keys of these policy ids, and the ids that are not live policies. */
    async policiesByIds(ids: string[]): Promise<{ keys: string[]; missing: string[] }> {
      const rows = await prisma.rbacPolicy.findMany({ where: { id: { in: ids }, deleted_at: null } });
      const found = new Set(rows.map((r) => r.id));
      return { keys: rows.map((r) => r.key), missing: [...new Set(ids)].filter((id) => !found.has(id)) };
    },

    /** The links of these user/role pairs that exist now. */
    async existingUserRoles(links: UserRoleLink[]): Promise<UserRoleLink[]> {
      if (links.length === 0) return [];
      const rows = await prisma.userRbacRole.findMany({
        where: { OR: links.map((l) => ({ user_id: l.user_id, role_id: l.role_id })) },
      });
      return rows.map((r) => ({ user_id: r.user_id, role_id: r.role_id, created_at: r.created_at.toISOString() }));
    },

    /** The role-policy links of a role for these policies (what a removal would delete). */
    async rolePolicyLinks(roleId: string, policyIds?: string[]): Promise<RolePolicyLink[]> {
      const rows = await prisma.rbacRolePolicy.findMany({
        where: { role_id: roleId, ...(policyIds ? { policy_id: { in: policyIds } } : {}) },
        orderBy: { id: 'asc' },
      });
      return rows.map((r) => ({
        id: r.id,
        role_id: r.role_id,
        policy_id: r.policy_id,
        created_at: r.created_at.toISOString(),
      }));
    },

    /** Every known concrete key (declared and stored), for expanding wildcards. */
    async knownPolicyKeys(): Promise<string[]> {
      const rows = await prisma.rbacPolicy.findMany({ where: { deleted_at: null }, select: { key: true } });
      return [...new Set([...DECLARED_POLICIES.map((p) => p.key), ...rows.map((r) => r.key)])];
    },

    async retrieveRole(id: string): Promise<RoleDTO> {
      const r = await prisma.rbacRole.findFirst({ where: { id, deleted_at: null } });
      if (!r) throw notFound(`Role with id: ${id} not found`);
      return toRoleDTO(r);
    },

    async listAndCountRoles(
      filters: { q?: string; id?: string[]; name?: string[] },
      config: ListConfig,
    ): Promise<[RoleDTO[], number]> {
      const where: Prisma.RbacRoleWhereInput = {
        deleted_at: null,
        ...(filters.id ? { id: { in: filters.id } } : {}),
        ...(filters.name ? { name: { in: filters.name } } : {}),
        ...(filters.q ? { name: { contains: filters.q, mode: 'insensitive' } } : {}),
      };
      const [rows, count] = await prisma.$transaction([
        prisma.rbacRole.findMany({ where, ...pagingArgs(config, ROLE_SORTABLE) }),
        prisma.rbacRole.count({ where }),
      ]);
      return [rows.map(toRoleDTO), count];
    },

    async listAndCountPolicies(
      filters: { q?: string; id?: string[]; key?: string[]; resource?: string[]; operation?: string[] },
      config: ListConfig,
    ): Promise<[PolicyDTO[], number]> {
      const where: Prisma.RbacPolicyWhereInput = {
        deleted_at: null,
        ...(filters.id ? { id: { in: filters.id } } : {}),
        ...(filters.key ? { key: { in: filters.key } } : {}),
        ...(filters.resource ? { resource: { in: filters.resource } } : {}),
        ...(filters.operation ? { operation: { in: filters.operation } } : {}),
        ...(filters.q ? { key: { contains: filters.q, mode: 'insensitive' } } : {}),
      };
      const [rows, count] = await prisma.$transaction([
        prisma.rbacPolicy.findMany({ where, ...pagingArgs(config, POLICY_SORTABLE) }),
        prisma.rbacPolicy.count({ where }),
      ]);
      return [rows.map(toPolicyDTO), count];
    },

    async listAndCountRolePolicies(roleId: string, config: ListConfig): Promise<[RolePolicyDTO[], number]> {
      await store.retrieveRole(roleId);
      const where = { role_id: roleId };
      const [rows, count] = await prisma.$transaction([
        prisma.rbacRolePolicy.findMany({ where, ...pagingArgs(config, ['id', 'created_at']) }),
        prisma.rbacRolePolicy.count({ where }),
      ]);
      return [await withPolicies(prisma, rows), count];
    },

    async listAndCountRoleUsers(roleId: string, config: ListConfig): Promise<[UserDTO[], number]> {
      await store.retrieveRole(roleId);
      const where: Prisma.UserWhereInput = {
        deleted_at: null,
        id: { in: (await prisma.userRbacRole.findMany({ where: { role_id: roleId } })).map((l) => l.user_id) },
      };
      const [rows, count] = await prisma.$transaction([
        prisma.user.findMany({ where, ...pagingArgs(config, ['id', 'email', 'created_at']) }),
        prisma.user.count({ where }),
      ]);
      return [rows.map(toUserDTO), count];
    },

    async listAndCountUserRoles(userId: string, config: ListConfig): Promise<[RoleDTO[], number]> {
      const ids = (await prisma.userRbacRole.findMany({ where: { user_id: userId } })).map((l) => l.role_id);
      const where: Prisma.RbacRoleWhereInput = { deleted_at: null, id: { in: ids } };
      const [rows, count] = await prisma.$transaction([
        prisma.rbacRole.findMany({ where, ...pagingArgs(config, ROLE_SORTABLE) }),
        prisma.rbacRole.count({ where }),
      ]);
      return [rows.map(toRoleDTO), count];
    },
  };
  return store;
}

/** Refuses linking policies the grantor does not hold itself, or policies that do not exist. */
async function checkPolicyGrant(tx: Tx, grantor: Grantor | undefined, policyIds: string[]): Promise<void> {
  if (policyIds.length === 0) return;
  const rows = await tx.rbacPolicy.findMany({ where: { id: { in: policyIds }, deleted_at: null } });
  const found = new Set(rows.map((r) => r.id));
  const missing = [...new Set(policyIds)].filter((id) => !found.has(id));
  if (missing.length) throw notFound(`The following policies do not exist: ${missing.join(', ')}`);
  if (!grantor) return;
  const held = await keysOfRoles(tx, await roleIdsOf(tx, grantor));
  if (
    !mayGrant(
      held,
      rows.map((r) => r.key),
    )
  )
    throw forbidden(ESCALATION_MESSAGE);
}

async function withPolicies(
  db: Tx | PrismaClient,
  rows: { id: string; role_id: string; policy_id: string }[],
): Promise<RolePolicyDTO[]> {
  const policies = await db.rbacPolicy.findMany({ where: { id: { in: rows.map((r) => r.policy_id) } } });
  const byId = new Map(policies.map((p) => [p.id, toPolicyDTO(p)]));
  return rows.map((r) => ({ id: r.id, role_id: r.role_id, policy_id: r.policy_id, policy: byId.get(r.policy_id)! }));
}
