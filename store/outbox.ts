import type { CreateInviteInput, CreateUserInput, EventInput, InviteDTO, UserDTO } from '../domain';
import { inviteStore } from './invites';
import type { Prisma, PrismaClient } from './prisma';
import { onTransaction } from './transaction';
import { userStore } from './users';

/**
 * The transactional outbox: a forward step and the events it produces, written in one transaction, so
 * an event exists exactly when its rows do and a flow needs no separate "record events" activity. The
 * events' ids come from the workflow: a retried step records each once; the step's undo deletes them
 * (deleteEvents) with its rows.
 */
export function outboxStore(prisma: PrismaClient, newId: (prefix: string) => string) {
  const within = <T>(fn: (tx: PrismaClient) => Promise<T>, events: EventInput[]) =>
    onTransaction(prisma, async (tx) => {
      const out = await fn(tx);
      await recordIn(tx, events);
      return out;
    });

  return {
    /**
     * createUsers and its events, in one transaction. Attempts for the same ids run one after the other:
     * a workflow task lost while its local step runs (a cancel arriving then fails the task) runs the
     * step again while the first attempt may still be writing; the second then finds the first's rows.
     */
    createUsersWithEvents(data: CreateUserInput[], events: EventInput[]): Promise<UserDTO[]> {
      return within(async (tx) => {
        await takeTurns(tx, data);
        return userStore(tx, newId).createUsers(data);
      }, events);
    },

    /** createInvites and its events, in one transaction. */
    createInvitesWithEvents(data: CreateInviteInput[], events: EventInput[]): Promise<InviteDTO[]> {
      return within((tx) => inviteStore(tx).createInvites(data), events);
    },

    /**
     * createInvitesWithEvents as a local step (createInvites in one workflow task): attempts for the same
     * ids take turns, as createUsersWithEvents'. `found`: an earlier attempt had committed these invites,
     * so the run is past its commit point (their mail may have gone out), whatever arrived since.
     */
    createInvitesOnce(
      data: CreateInviteInput[],
      events: EventInput[],
    ): Promise<{ invites: InviteDTO[]; found: boolean }> {
      return within(async (tx) => {
        await takeTurns(tx, data);
        return inviteStore(tx).createOrFindInvites(data);
      }, events);
    },
  };
}

/** Holds, until the transaction ends, a lock on these rows' ids: a second attempt waits for the first. */
async function takeTurns(tx: PrismaClient, rows: { id?: string | null }[]): Promise<void> {
  const key = rows.map((r) => r.id ?? '').join(',');
  await tx.$queryRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtext(${key}))`;
}

/** Records events in the given transaction; an event already recorded (same id) is left as it is. */
export async function recordIn(tx: Prisma.TransactionClient, events: EventInput[]): Promise<void> {
  if (events.length === 0) return;
  await tx.event.createMany({
    data: events.map((e) => ({ id: e.id, name: e.name, payload: e.payload as Prisma.InputJsonValue })),
    skipDuplicates: true,
  });
}
