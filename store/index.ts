import { eventStore } from './events';
import { newId } from './ids';
import type { PrismaClient } from './prisma';
import { userStore } from './users';

export * from './errors';
export type { UserDTO, CreateUserInput, UpdateUserInput, UserFilters } from './users';
export type { EventInput, EventDTO } from './events';
export type { ListConfig } from './list-options';

/** The one Prisma-backed store every activity and read path goes through. */
export function createStore(prisma: PrismaClient) {
  return {
    ...userStore(prisma, newId),
    ...eventStore(prisma),
  };
}

export type Store = ReturnType<typeof createStore>;
