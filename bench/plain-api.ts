// The no-engine baseline of POST /admin/invites: one fastify route over Prisma doing the same database
// work as the invite flow (the checks, the invite row, its outbox event, delivery to the same file
// transport) in one transaction, with the same bearer check. What an invite costs without Temporal.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { inviteTokenHash, signInviteToken, verifyInviteToken } from '../auth';
import { invalidData } from '../domain';
import { newInvite, parse } from '../domain/validation';
import type { MailTransport } from '../activities/mail-transport';
import type { PrismaClient } from '../store/prisma';
import { newId } from '../store/ids';
import { jwtVerify } from 'jose';

export async function plainInviteApi(
  prisma: PrismaClient,
  secret: string,
  mail: MailTransport,
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const key = new TextEncoder().encode(secret);
  app.post('/admin/invites', async (req, reply) => {
    const bearer = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    await jwtVerify(bearer, key).catch(() => {
      throw Object.assign(new Error('Unauthorized'), { statusCode: 401 });
    });
    const body = parse(newInvite, req.body, 'invite');
    const iat = Math.floor(Date.now() / 1000);
    const claims = { inviteId: newId('invite'), jti: randomUUID(), iat, exp: iat + 3600 };
    const token = await signInviteToken(claims, secret);
    await verifyInviteToken(token, secret); // as the mail's link would be checked: keeps the work alike
    const invite = await prisma.$transaction(async (tx) => {
      const [user, live] = await Promise.all([
        tx.user.findFirst({ where: { email: body.email, deleted_at: null }, select: { id: true } }),
        tx.invite.findFirst({ where: { email: body.email, deleted_at: null, accepted: false }, select: { id: true } }),
      ]);
      if (user || live) throw invalidData(`Invite with email: ${body.email}, already exists.`);
      const row = await tx.invite.create({
        data: {
          id: claims.inviteId,
          email: body.email,
          token_hash: await inviteTokenHash(claims, secret),
          expires_at: new Date(claims.exp * 1000),
          delivery_status: 'pending',
        },
      });
      await tx.event.create({ data: { id: `evt_${randomUUID()}`, name: 'invite.created', payload: { id: row.id } } });
      return row;
    });
    await mail.send({ to: invite.email, subject: 'invite', text: `http://localhost/invite?token=${token}` });
    await prisma.invite.update({ where: { id: invite.id }, data: { delivery_status: 'sent' } });
    return reply.code(200).send({ invite: { id: invite.id, email: invite.email, token } });
  });
  return app;
}
