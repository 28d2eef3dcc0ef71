import { authStore } from './auth';
import { eventStore } from './events';
import { newId } from './ids';
import { inviteStore } from './invites';
import type { PrismaClient } from './prisma';
import { sessionStore } from './sessions';
import { userStore } from './users';
import { reconcileStore } from './reconcile';
import { inviteUpdateStore } from './invite-updates';
import { webhookStore } from './webhooks';
import { rbacStore } from './rbac';
import { apiKeyStore } from './api-keys';
import { outboxStore } from './outbox';
import { acceptStore } from './accept';

export type { ListConfig } from './list-options';

/** The one Prisma-backed store every activity and read path goes through. */
export function createStore(prisma: PrismaClient) {
  return {
    ...userStore(prisma, newId),
    ...inviteStore(prisma),
    ...authStore(prisma),
    ...eventStore(prisma),
    ...reconcileStore(prisma),
    ...sessionStore(prisma),
    ...inviteUpdateStore(prisma),
    ...webhookStore(prisma),
    ...rbacStore(prisma),
    ...apiKeyStore(prisma),
    ...outboxStore(prisma, newId),
    ...acceptStore(prisma, newId),
  };
}

export type Store = ReturnType<typeof createStore>;
