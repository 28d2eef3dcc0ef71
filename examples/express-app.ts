// An Express application that invites people from its own route handler through usermod's service.
// In your application the import is `from 'usermod'`; here it is the source next door.
//
//   DATABASE_URL=... TEMPORAL_ADDRESS=... JWT_SECRET=... USERMOD_PAYLOAD_KEYS=... USERMOD_SEAL_PUBLIC_KEY=... \
//     node --import tsx examples/express-app.ts      # PORT=3000 by default
//   curl -X POST localhost:3000/team/invites -H 'content-type: application/json' -d '{"email":"ada@example.com"}'
import express, { type ErrorRequestHandler } from 'express';
import { createUsermodService, UsermodError } from '../service';

async function main() {
  const service = await createUsermodService(); // from the environment, as usermod's own processes
  const app = express();
  app.use(express.json());

  app.post('/team/invites', async (req, res) => {
    const { email } = (req.body ?? {}) as { email?: string };
    // The application's own rules would go here; then usermod's flow (a Temporal workflow run).
    const invite = await service.createInvites(
      { email: email ?? '', metadata: { invitedBy: 'example-app' } },
      { idempotencyKey: req.get('idempotency-key') },
    );
    res.status(201).json({ id: invite.id, email: invite.email, expires_at: invite.expires_at });
  });

  // usermod's errors carry their HTTP status and a message meant for callers (Express 5 passes a
  // rejected handler's error here).
  const errors: ErrorRequestHandler = (err, _req, res, _next) => {
    if (err instanceof UsermodError) return void res.status(err.status).json({ type: err.type, message: err.message });
    if ((err as { type?: string }).type === 'entity.parse.failed')
      return void res.status(400).json({ message: 'body is not JSON' });
    console.error(err);
    res.status(500).json({ message: 'internal error' });
  };
  app.use(errors);

  const port = Number(process.env.PORT ?? 3000);
  const server = app.listen(port, '127.0.0.1', () => console.log(`example listening on http://127.0.0.1:${port}`));
  const stop = () => server.close(() => void service.close());
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
