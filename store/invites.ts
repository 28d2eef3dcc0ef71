import { z } from 'zod';
import {
  conflict,
  INVITE_STATUSES,
  invalidData,
  normalizeEmail,
  notAllowed,
  notFound,
  sameHash,
  unauthorized,
  type CreateInviteInput,
  type DeliveryStatus,
  type InviteDTO,
  type InviteFilters,
  type InviteRowState,
  type InviteStatus,
  type InviteTokenState,
  type InviteTokenUpdate,
  type InviteUpdate,
} from '../domain';
import type { Prisma, PrismaClient } from './prisma';
import { violatedConstraint } from './prisma';
import { asArray, type ListConfig, pagingArgs } from './list-options';
import { linkInviteRoles } from './rbac';
import { inTransaction } from './transaction';
import { matches, metadata, newInvite, parse } from '../domain/validation';

const createInviteSchema = matches<CreateInviteInput>()(
  newInvite.extend({
    id: z.string().regex(/^invite_[0-9A-Z]{26}$/, 'must be invite_<ULID>'),
    token_hash: z.string().regex(/^[0-9a-f]{64}$/),
    expires_at: z.union([z.string(), z.date()]).pipe(z.coerce.date()),
  }),
);

const updateInviteSchema = matches<InviteUpdate>()(z.strictObject({ id: z.string().min(1), metadata }));

export const INVITE_SORTABLE = ['id', 'email', 'status', 'expires_at', 'created_at', 'updated_at'] as const;

type InviteRow = Prisma.InviteGetPayload<object>;

/** A pending invite whose expiry has passed is expired, whether or not the expiry job has run yet. */
export function effectiveStatus(
  i: Pick<InviteRow, 'status' | 'expires_at' | 'deleted_at'>,
  now = new Date(),
): InviteStatus {
  if (i.deleted_at) return 'revoked';
  if (i.status === 'pending' && i.expires_at <= now) return 'expired';
  return i.status;
}

export function toInviteDTO(i: InviteRow): InviteDTO {
  return {
    id: i.id,
    email: i.email,
    status: effectiveStatus(i),
    accepted: i.accepted,
    accepted_at: i.accepted_at?.toISOString() ?? null,
    expires_at: i.expires_at.toISOString(),
    delivery_status: i.delivery_status,
    metadata: (i.metadata as Record<string, unknown> | null) ?? null,
    created_at: i.created_at.toISOString(),
    updated_at: i.updated_at.toISOString(),
    deleted_at: i.deleted_at?.toISOString() ?? null,
    invited_by: i.invited_by,
  };
}

const duplicateInvite = (e: string) => invalidData(`Invite with email: ${e}, already exists.`);

function statusWhere(statuses: InviteStatus[], now: Date): Prisma.InviteWhereInput {
  const one: Record<InviteStatus, Prisma.InviteWhereInput> = {
    pending: { deleted_at: null, status: 'pending', expires_at: { gt: now } },
    accepted: { deleted_at: null, status: 'accepted' },
    expired: { deleted_at: null, OR: [{ status: 'expired' }, { status: 'pending', expires_at: { lte: now } }] },
    revoked: { deleted_at: { not: null } },
  };
  return { OR: statuses.map((s) => one[s]) };
}

export function inviteStore(prisma: PrismaClient) {
  function where(filters: InviteFilters, withDeleted = false): Prisma.InviteWhereInput {
    const ids = asArray(filters.id);
    const emails = asArray(filters.email)?.map(normalizeEmail);
    const statuses = asArray(filters.status);
    for (const s of statuses ?? []) {
      if (!INVITE_STATUSES.includes(s))
        throw invalidData(`Invalid status '${s}'; expected one of: ${INVITE_STATUSES.join(', ')}`);
    }
    const q = filters.q?.trim();
    const and: Prisma.InviteWhereInput[] = [];
    // Revoked (soft-deleted) invites are listed only when asked for.
    if (!withDeleted && !statuses?.includes('revoked')) and.push({ deleted_at: null });
    if (ids) and.push({ id: { in: ids } });
    if (emails) and.push({ email: { in: emails } });
    if (q) and.push({ email: { contains: q, mode: 'insensitive' } });
    if (statuses) and.push(statusWhere(statuses, new Date()));
    if (filters.expires_at) and.push({ expires_at: filters.expires_at });
    return { AND: and };
  }

  /** Why a token for this invite cannot be used; undefined when it can. */
  function refusal(i: InviteRow | null, id: string, tokenHash: string, acceptingRun?: string) {
    if (!i) return notFound(`Invite with id: ${id} was not found`);
    if (i.deleted_at) return unauthorized('The invite has been revoked');
    if (i.accepted) {
      return i.accepted_by === acceptingRun
        ? undefined
        : unauthorized('The invite has already been accepted or is being accepted');
    }
    if (!sameHash(i.token_hash, tokenHash))
      return unauthorized('The invite token is no longer valid: a newer one was sent');
    if (i.expires_at <= new Date() || i.status === 'expired') return unauthorized('The invite has expired');
    return undefined;
  }

  /** The current token state of live, not accepted invites (what a resend would replace). */
  async function inviteTokenStates(ids: string[]): Promise<InviteTokenState[]> {
    const rows = await prisma.invite.findMany({ where: { id: { in: ids }, deleted_at: null } });
    const missing = ids.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length) throw invalidData(`The following invites do not exist: ${missing.join(', ')}`);
    const accepted = rows.filter((r) => r.accepted);
    if (accepted.length)
      throw invalidData(`The following invites are already accepted: ${accepted.map((r) => r.id).join(', ')}`);
    return ids.map((id) => {
      const r = rows.find((x) => x.id === id)!;
      return {
        id,
        token_hash: r.token_hash,
        expires_at: r.expires_at.toISOString(),
        status: r.status,
        updated_at: r.updated_at.toISOString(),
      };
    });
  }

  /** The rows whose e-mail has no live user, no live invite and no earlier row in `rows` (bulk import). */
  async function creatable<R extends { email: string }>(rows: R[]): Promise<R[]> {
    const emails = rows.map((r) => r.email);
    const [users, live] = await Promise.all([
      prisma.user.findMany({ where: { email: { in: emails }, deleted_at: null }, select: { email: true } }),
      prisma.invite.findMany({
        where: { email: { in: emails }, deleted_at: null, accepted: false },
        select: { email: true },
      }),
    ]);
    const taken = new Set([...users, ...live].map((x) => x.email));
    return rows.filter((r) => {
      if (taken.has(r.email)) return false;
      taken.add(r.email);
      return true;
    });
  }

  /**
   * One live invite per e-mail; no invite for an e-mail that already has a live user. With
   * `skipExisting` (bulk import) such e-mails, and an e-mail repeated in `data`, are left out instead
   * of failing the call: the answer holds the invites created, the caller tells the rest. `found`: they
   * were this call's earlier attempt's, committed (their ids come from the workflow).
   */
  async function createOrFindInvites(
    data: CreateInviteInput[],
    options: { skipExisting?: boolean } = {},
  ): Promise<{ invites: InviteDTO[]; found: boolean }> {
    let rows = data.map((d) => parse(createInviteSchema, d, 'invite'));
    // Idempotent: ids come from the workflow, so a retry after a committed attempt finds its own rows.
    const mine = await prisma.invite.findMany({ where: { id: { in: rows.map((r) => r.id) } } });
    const mineById = new Map(mine.map((i) => [i.id, i]));
    if (mine.length === rows.length) return { invites: rows.map((r) => toInviteDTO(mineById.get(r.id)!)), found: true };
    // The rows go in one statement: when some of them exist, this call's earlier attempt committed.
    if (options.skipExisting && mine.length) {
      const invites = rows.flatMap((r) => (mineById.has(r.id) ? [toInviteDTO(mineById.get(r.id)!)] : []));
      return { invites, found: true };
    }
    if (options.skipExisting) rows = await creatable(rows);
    if (rows.length === 0) return { invites: [], found: false };
    const emails = rows.map((r) => r.email);
    const users = await prisma.user.findMany({
      where: { email: { in: emails }, deleted_at: null },
      select: { email: true },
    });
    if (users.length) {
      throw invalidData(`User account for following email(s) already exist: ${users.map((u) => u.email).join(', ')}`);
    }
    const dup = emails.find((e, i) => emails.indexOf(e) !== i);
    if (dup) throw duplicateInvite(dup);
    const live = await prisma.invite.findFirst({
      where: { email: { in: emails }, deleted_at: null, accepted: false },
    });
    if (live) throw duplicateInvite(live.email);
    try {
      // With their roles (RBAC) in the same transaction: checked to exist and to be grantable by the inviter.
      const created = await inTransaction(prisma, async (tx) => {
        const made = await tx.invite.createManyAndReturn({
          data: rows.map((r) => ({
            id: r.id,
            email: r.email,
            token_hash: r.token_hash,
            expires_at: r.expires_at,
            delivery_status: 'pending',
            metadata: (r.metadata ?? undefined) as Prisma.InputJsonValue | undefined,
            invited_by: r.invited_by ?? null,
          })),
        });
        for (const r of rows) if (r.roles?.length) await linkInviteRoles(tx, r.id, r.roles, r.invited_by);
        return made;
      });
      const byId = new Map(created.map((i) => [i.id, i]));
      return { invites: rows.map((r) => toInviteDTO(byId.get(r.id)!)), found: false };
    } catch (err) {
      if (violatedConstraint(err) === 'invite_email_live_key') throw duplicateInvite(emails.join(', '));
      throw err;
    }
  }

  return {
    // Forward steps, each followed by the compensation that undoes it, then the reads.

    /** createOrFindInvites' invites. */
    createInvites: async (data: CreateInviteInput[], options: { skipExisting?: boolean } = {}): Promise<InviteDTO[]> =>
      (await createOrFindInvites(data, options)).invites,
    createOrFindInvites,

    /** Undoes createInvites: hard-deletes exactly these ids. */
    async deleteInvites(ids: string[]): Promise<void> {
      await prisma.$transaction([
        prisma.inviteRbacRole.deleteMany({ where: { invite_id: { in: ids } } }),
        prisma.invite.deleteMany({ where: { id: { in: ids } } }),
      ]);
    },

    /** The current token of live, not accepted invites: what a resend replaces (and its undo puts back). */
    inviteTokenStates,

    /** Sets a new token hash and expiry (resend); every earlier token of these invites stops working. */
    async refreshInviteTokens(updates: InviteTokenUpdate[]): Promise<InviteDTO[]> {
      await inviteTokenStates(updates.map((u) => u.id));
      return prisma.$transaction(async (tx) => {
        const out: InviteDTO[] = [];
        for (const u of updates) {
          const row = await tx.invite.update({
            where: { id: u.id },
            data: { token_hash: u.token_hash, expires_at: new Date(u.expires_at), status: 'pending' },
          });
          out.push(toInviteDTO(row));
        }
        return out;
      });
    },

    /** Undoes refreshInviteTokens: puts back exactly the previous token hash, expiry and status. */
    async restoreInviteTokens(states: InviteTokenState[]): Promise<void> {
      await prisma.$transaction(
        states.map((s) =>
          prisma.invite.updateMany({
            where: { id: s.id },
            data: {
              token_hash: s.token_hash,
              expires_at: new Date(s.expires_at),
              status: s.status,
              updated_at: new Date(s.updated_at),
            },
          }),
        ),
      );
    },

    /** Which of these invites are live now: exactly what a revoke will revoke (and its undo restore). */
    async liveInvites(ids: string[]): Promise<InviteRowState[]> {
      const rows = await prisma.invite.findMany({
        where: { id: { in: ids } },
        select: { id: true, updated_at: true, deleted_at: true, accepted: true },
        orderBy: { id: 'asc' },
      });
      // An unknown id is a 404, as for GET; an accepted invite is part of its user's history and stays.
      const missing = ids.find((id) => !rows.some((r) => r.id === id));
      if (missing) throw notFound(`Invite with id: ${missing} was not found`);
      const accepted = rows.filter((r) => r.accepted);
      if (accepted.length) {
        throw notAllowed(
          `An accepted invite cannot be revoked: ${accepted.map((r) => r.id).join(', ')} (it stays as the record of how its user joined)`,
        );
      }
      // Already revoked ones are left as they are (a repeated revoke changes nothing).
      return rows.filter((r) => !r.deleted_at).map((i) => ({ id: i.id, updated_at: i.updated_at.toISOString() }));
    },

    /** Revokes; returns the ids revoked by this call (missing or already revoked ids are skipped). */
    async softDeleteInvites(ids: string[]): Promise<string[]> {
      return prisma.$transaction(async (tx) => {
        // Never an accepted one, even if it was accepted since the flow looked.
        const live = await tx.invite.findMany({
          where: { id: { in: ids }, deleted_at: null, accepted: false },
          select: { id: true },
        });
        const liveIds = live.map((i) => i.id);
        await tx.invite.updateMany({ where: { id: { in: liveIds } }, data: { deleted_at: new Date() } });
        return liveIds;
      });
    },

    /** Undoes softDeleteInvites (un-revokes); given the rows' previous updated_at, puts that back too (exact compensation). */
    async restoreInvites(rows: (string | InviteRowState)[]): Promise<void> {
      await prisma.$transaction(
        rows.map((r) =>
          typeof r === 'string'
            ? prisma.invite.updateMany({ where: { id: r }, data: { deleted_at: null } })
            : prisma.invite.updateMany({
                where: { id: r.id },
                data: { deleted_at: null, updated_at: new Date(r.updated_at) },
              }),
        ),
      );
    },

    /** Is this token (by its hash) the current, usable token of this invite? Throws the reason if not. */
    async validateInviteToken(inviteId: string, tokenHash: string): Promise<InviteDTO> {
      const i = await prisma.invite.findUnique({ where: { id: inviteId } });
      const why = refusal(i, inviteId, tokenHash);
      if (why) throw why;
      return toInviteDTO(i!);
    },

    /**
     * The database guard against double accepts: one conditional UPDATE marks the invite accepted for
     * one run. Concurrent runs match no row and are told why. Idempotent for the run that holds it.
     */
    async claimInviteForAccept(inviteId: string, tokenHash: string, run: string): Promise<InviteDTO> {
      const i = await prisma.invite.findUnique({ where: { id: inviteId } });
      const why = refusal(i, inviteId, tokenHash, run);
      if (why) throw why;
      if (i!.accepted_by === run) return toInviteDTO(i!);
      const now = new Date();
      const { count } = await prisma.invite.updateMany({
        where: { id: inviteId, accepted: false, deleted_at: null, token_hash: i!.token_hash, expires_at: { gt: now } },
        data: { accepted: true, accepted_at: now, accepted_by: run, status: 'accepted' },
      });
      if (count === 0) {
        const after = await prisma.invite.findUnique({ where: { id: inviteId } });
        throw (
          refusal(after, inviteId, tokenHash, run) ??
          conflict('The invite has already been accepted or is being accepted')
        );
      }
      return toInviteDTO(await prisma.invite.findUniqueOrThrow({ where: { id: inviteId } }));
    },

    /** Undoes claimInviteForAccept: only the run that claimed the invite can release it. */
    async releaseInviteClaim(inviteId: string, run: string, previousUpdatedAt: string): Promise<void> {
      await prisma.invite.updateMany({
        where: { id: inviteId, accepted_by: run },
        data: {
          accepted: false,
          accepted_at: null,
          accepted_by: null,
          status: 'pending',
          updated_at: new Date(previousUpdatedAt),
        },
      });
    },

    /** Bulk delivery's bookkeeping: these invites' mails went out. */
    async markInvitesSent(ids: string[]): Promise<void> {
      await prisma.invite.updateMany({
        where: { id: { in: ids } },
        data: { delivery_status: 'sent', delivery_error: null },
      });
    },

    /** Which of these invites still wait for their mail (a retried bulk delivery skips the others). */
    async invitesAwaitingDelivery(ids: string[]): Promise<string[]> {
      const rows = await prisma.invite.findMany({
        where: { id: { in: ids }, delivery_status: 'pending' },
        select: { id: true },
      });
      return rows.map((r) => r.id);
    },

    async setInviteDelivery(inviteId: string, status: DeliveryStatus, error?: string): Promise<void> {
      await prisma.invite.updateMany({
        where: { id: inviteId },
        data: { delivery_status: status, delivery_error: error ?? null },
      });
    },

    async updateInvites(data: InviteUpdate[]): Promise<InviteDTO[]> {
      const rows = data.map((d) => parse(updateInviteSchema, d, 'invite update'));
      return prisma.$transaction(async (tx) => {
        const out: InviteDTO[] = [];
        for (const { id, metadata: m } of rows) {
          const { count } = await tx.invite.updateMany({
            where: { id, deleted_at: null },
            data: m === undefined ? {} : { metadata: (m ?? null) as Prisma.InputJsonValue },
          });
          if (count === 0) throw notFound(`Invite with id "${id}" not found`);
          out.push(toInviteDTO(await tx.invite.findUniqueOrThrow({ where: { id } })));
        }
        return out;
      });
    },

    /**
     * Marks up to `batchSize` pending invites past their expiry as expired and records one
     * `invite.expired` event each, in one transaction. The event id is derived from the invite and its
     * expiry, so running this again (or a retried attempt) records nothing twice.
     */
    async expireDueInvites(batchSize: number): Promise<string[]> {
      return prisma.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<{ id: string; expires_at: Date }[]>`
          WITH due AS (
            SELECT id FROM invite
            WHERE status = 'pending' AND deleted_at IS NULL AND expires_at <= now()
            ORDER BY expires_at, id LIMIT ${batchSize}
            FOR UPDATE SKIP LOCKED)
          UPDATE invite SET status = 'expired', updated_at = now() FROM due
          WHERE invite.id = due.id
          RETURNING invite.id, invite.expires_at`;
        await tx.event.createMany({
          data: rows.map((r) => ({
            id: `evt_expired_${r.id}_${r.expires_at.getTime()}`,
            name: 'invite.expired',
            payload: { id: r.id },
          })),
          skipDuplicates: true,
        });
        return rows.map((r) => r.id);
      });
    },

    /** Hard-deletes expired and revoked invites untouched for `olderThanSeconds`. */
    async purgeInvites(olderThanSeconds: number): Promise<number> {
      const before = new Date(Date.now() - olderThanSeconds * 1000);
      const { count } = await prisma.invite.deleteMany({
        where: { updated_at: { lt: before }, OR: [{ status: 'expired' }, { deleted_at: { not: null } }] },
      });
      return count;
    },

    async retrieveInvite(id: string, options: { withDeleted?: boolean } = {}): Promise<InviteDTO> {
      if (!id) throw invalidData('invite - id must be defined');
      const i = await prisma.invite.findFirst({ where: { id, ...(options.withDeleted ? {} : { deleted_at: null }) } });
      if (!i) throw notFound(`Invite with id: ${id} was not found`);
      return toInviteDTO(i);
    },

    async listInvites(filters: InviteFilters = {}, config: ListConfig = {}): Promise<InviteDTO[]> {
      const rows = await prisma.invite.findMany({
        where: where(filters, config.withDeleted),
        ...pagingArgs(config, INVITE_SORTABLE),
      });
      return rows.map(toInviteDTO);
    },

    async listAndCountInvites(filters: InviteFilters = {}, config: ListConfig = {}): Promise<[InviteDTO[], number]> {
      const w = where(filters, config.withDeleted);
      const paging = pagingArgs(config, INVITE_SORTABLE);
      const [rows, count] = await prisma.$transaction([
        prisma.invite.findMany({ where: w, ...paging }),
        prisma.invite.count({ where: w }),
      ]);
      return [rows.map(toInviteDTO), count];
    },
  };
}
