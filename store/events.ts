import type { EventDTO, EventInput } from '../domain';
import type { PrismaClient, Prisma } from './prisma';

export function eventStore(prisma: PrismaClient) {
  return {
    async recordEvents(events: EventInput[]): Promise<void> {
      if (events.length === 0) return;
      await prisma.event.createMany({
        data: events.map((e) => ({ id: e.id, name: e.name, payload: e.payload as Prisma.InputJsonValue })),
        skipDuplicates: true,
      });
    },

    /** Undoes recordEvents: exactly these events (their ids were fixed by the workflow). */
    async deleteEvents(ids: string[]): Promise<void> {
      await prisma.event.deleteMany({ where: { id: { in: ids } } });
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
