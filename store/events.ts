import type { PrismaClient, Prisma } from './prisma';

export interface EventInput {
  /** Decided by the workflow, so a retried write records each event once. */
  id: string;
  name: string;
  payload: Record<string, unknown>;
}

export interface EventDTO extends EventInput {
  created_at: string;
  published_at: string | null;
}

export function eventStore(prisma: PrismaClient) {
  return {
    async recordEvents(events: EventInput[]): Promise<void> {
      if (events.length === 0) return;
      await prisma.event.createMany({
        data: events.map((e) => ({ id: e.id, name: e.name, payload: e.payload as Prisma.InputJsonValue })),
        skipDuplicates: true,
      });
    },

    async listEvents(filters: { name?: string; unpublished?: boolean } = {}): Promise<EventDTO[]> {
      const rows = await prisma.event.findMany({
        where: {
          ...(filters.name ? { name: filters.name } : {}),
          ...(filters.unpublished ? { published_at: null } : {}),
        },
        orderBy: [{ created_at: 'asc' }, { id: 'asc' }],
      });
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        payload: r.payload as Record<string, unknown>,
        created_at: r.created_at.toISOString(),
        published_at: r.published_at?.toISOString() ?? null,
      }));
    },
  };
}
