import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../generated/prisma/client';

export { Prisma, PrismaClient };

export function createPrisma(databaseUrl: string, poolMax = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolMax }) });
}

/** Name of the unique index a P2002 violated (Prisma 7 with driver adapters has no meta.target). */
export function violatedConstraint(err: unknown): string | undefined {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError) || err.code !== 'P2002') return undefined;
  const cause = (err.meta as { driverAdapterError?: { cause?: { constraint?: { index?: string } } } } | undefined)
    ?.driverAdapterError?.cause;
  return cause?.constraint?.index;
}

export const isNotFound = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2025';
