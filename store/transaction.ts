import type { Prisma, PrismaClient } from './prisma';

/**
 * Runs `fn` in one transaction, handing it the transaction's client typed as a PrismaClient, so the
 * stores' factories (which only use its model delegates) can run their methods inside it.
 */
export function onTransaction<T>(prisma: PrismaClient, fn: (tx: PrismaClient) => Promise<T>): Promise<T> {
  return prisma.$transaction((tx) => fn(tx as unknown as PrismaClient));
}

/**
 * Runs `fn` in a transaction of its own, or in the one already open: the transactional outbox
 * (store/outbox.ts) runs store methods on a transaction's client, which cannot open another.
 */
export function inTransaction<T>(prisma: PrismaClient, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return typeof (prisma as Partial<PrismaClient>).$transaction === 'function'
    ? prisma.$transaction(fn)
    : fn(prisma as unknown as Prisma.TransactionClient);
}
