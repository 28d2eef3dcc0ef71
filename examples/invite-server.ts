// A plain node:http application that invites people from its own handler through usermod's service.
// In your application the import is `from 'usermod'`; here it is the source next door.
//
//   DATABASE_URL=... TEMPORAL_ADDRESS=... JWT_SECRET=... USERMOD_PAYLOAD_KEYS=... USERMOD_SEAL_PUBLIC_KEY=... \
//     node --import tsx examples/invite-server.ts      # PORT=3000 by default
//   curl -X POST localhost:3000/team/invites -H 'content-type: application/json' -d '{"email":"ada@example.com"}'
import { createServer, type IncomingMessage } from 'node:http';
import { createUsermodService, UsermodError } from '../service';

async function readJson(req: IncomingMessage): Promise<unknown> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return JSON.parse(body || '{}');
}

async function main() {
  const service = await createUsermodService(); // from the environment, as usermod's own processes
  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    try {
      if (req.method === 'POST' && req.url === '/team/invites') {
        const { email } = (await readJson(req)) as { email?: string };
        // The application's own rule first, then usermod's flow (a Temporal workflow run).
        const invite = await service.createInvites(
          { email: email ?? '', metadata: { invitedBy: 'example-app' } },
          { idempotencyKey: req.headers['idempotency-key'] as string | undefined },
        );
        return send(201, { id: invite.id, email: invite.email, expires_at: invite.expires_at });
      }
      return send(404, { message: 'not found' });
    } catch (err) {
      // usermod's errors carry their HTTP status and a message meant for callers.
      if (err instanceof UsermodError) return send(err.status, { type: err.type, message: err.message });
      if (err instanceof SyntaxError) return send(400, { message: 'body is not JSON' });
      console.error(err);
      return send(500, { message: 'internal error' });
    }
  });
  const port = Number(process.env.PORT ?? 3000);
  server.listen(port, '127.0.0.1', () => console.log(`example listening on http://127.0.0.1:${port}`));
  const stop = () => server.close(() => void service.close());
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
