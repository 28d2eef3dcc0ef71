import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../config';
import { lowPort } from './low-port';
import { openHarness, testCodecKeys, testInviteTokens, testSealKeys, uniqueEmail, type Harness } from './harness';

// examples/express-app.ts run as an application would run it: its own process, configured through
// the environment, its handler calling createInvites; this file's worker serves the flows.
let h: Harness;
let child: ChildProcess;
let base: string;
let output = '';
beforeAll(async () => {
  h = await openHarness();
  const { ctx } = await h.startWorker();
  const port = await lowPort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['--import', 'tsx', join('examples', 'express-app.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: process.env.DATABASE_URL,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: ctx.taskQueue,
      JWT_SECRET: testInviteTokens.secret,
      USERMOD_PAYLOAD_KEYS: testCodecKeys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
      USERMOD_SEAL_PUBLIC_KEY: testSealKeys.publicKey,
      USERMOD_SEAL_KEYS: '',
      USERMOD_DATA_DIR: join(projectRoot, '.cache', 'example-data'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('example listening')) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`the example exited: ${output}`));
      }
    }, 100);
  });
});
afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await h.close();
});

const post = (body: unknown) =>
  fetch(`${base}/team/invites`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

test("the example app's own handler creates an invite through usermod's flow", async () => {
  const email = uniqueEmail('example');
  const res = await post({ email });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { id: string; email: string };
  expect(body.email).toBe(email);
  // Really written by the flow, with the application's metadata and its event.
  expect(await h.store.retrieveInvite(body.id)).toMatchObject({ email, metadata: { invitedBy: 'example-app' } });
  const events = await h.store.listEvents({ name: 'invite.created' });
  expect(events.some((e) => e.payload.id === body.id)).toBe(true);
});

test("usermod's errors reach the application with their status and message", async () => {
  const res = await post({ email: 'not-an-email' });
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({ type: 'invalid_data', message: expect.stringMatching(/email/) });
});
