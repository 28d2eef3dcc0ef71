import { notFound, type InviteDTO } from '../domain';
import type { Prisma, PrismaClient } from './prisma';
import { toInviteDTO } from './invites';

/** The snapshot read and the undo of updateInvites (the forward step is inviteStore's updateInvites). */
export function inviteUpdateStore(prisma: PrismaClient) {
  return {
    /** What an update must put back if its flow fails: the live invites as they are now. */
    async invitesForUpdate(ids: string[]): Promise<InviteDTO[]> {
      const rows = await prisma.invite.findMany({ where: { id: { in: ids }, deleted_at: null } });
      const missing = ids.find((id) => !rows.some((r) => r.id === id));
      if (missing !== undefined) throw notFound(`Invite with id "${missing}" not found`);
      return ids.map((id) => toInviteDTO(rows.find((r) => r.id === id)!));
    },

    /** Undoes updateInvites: metadata and updated_at as the snapshot had them (idempotent). */
    async restoreInviteSnapshots(invites: InviteDTO[]): Promise<void> {
      await prisma.$transaction(
        invites.map((i) =>
          prisma.invite.updateMany({
            where: { id: i.id },
            data: {
              metadata: (i.metadata ?? null) as Prisma.InputJsonValue,
              updated_at: new Date(i.updated_at),
            },
          }),
        ),
      );
    },
  };
}
