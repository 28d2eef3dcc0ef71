// The start smoke CI runs after the tests: the README's start command from a clean checkout, used as a
// person would. `npm start` with a seeded admin on free ports → wait for readiness → admin logs in →
// invites someone → the invitee accepts with the token from the mailed link → logs in → Ctrl-C (SIGINT
// to the process group): exit 0 within 20 s, no process or port left. Then a second start is stopped
// with SIGTERM, and a third is `kill -9`ed and the fourth must clean up after it and come up.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../config';
import { isAlive, portIsFree, waitForExit } from '../devstack/processes';

const ADMIN = { email: 'smoke-admin@example.com', password: 'smoke admin password 1' };
const INVITEE = { email: 'smoke-invitee@example.com', password: 'smoke invitee password 1' };

function check(ok: unknown, what: string): asserts ok {
  if (!ok) throw new Error(`smoke failed: ${what}`);
}

interface Stack {
  child: ChildProcess;
  output: () => string;
  env: Record<string, string>;
  ports: number[];
}

async function startStack(dataDir: string, ports: Record<string, number>): Promise<Stack> {
  const env = {
    ...process.env,
    USERMOD_DATA_DIR: dataDir,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
  } as Record<string, string>;
  // Its own process group, so a SIGINT to the group is exactly a terminal's Ctrl-C.
  const child = spawn('npm', ['start'], { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  return { child, output: () => out, env, ports: Object.values(ports) };
}

async function waitReady(stack: Stack, api: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    check(stack.child.exitCode === null, `npm start exited early:\n${stack.output()}`);
    // The banner comes only once everything is ready: when it shows, /health must say 200.
    const banner = stack.output().includes('usermod is running');
    const res = await fetch(`${api}/health`).catch(() => undefined);
    if (banner) {
      check(res?.status === 200, `the banner appeared while /health said ${res?.status}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`smoke failed: not ready within ${timeoutMs / 1000} s:\n${stack.output()}`);
}

async function json(method: string, url: string, body?: unknown, token?: string) {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** The invite journey over HTTP, with the link taken from the mailbox file. */
async function journey(api: string, dataDir: string) {
  const login = await json('POST', `${api}/auth/user/emailpass`, ADMIN);
  check(login.status === 200 && login.body.token, `admin login right after readiness: ${JSON.stringify(login)}`);
  const invite = await json('POST', `${api}/admin/invites`, { email: INVITEE.email }, login.body.token);
  check(invite.status === 200, `invite: ${JSON.stringify(invite)}`);

  const outbox = join(dataDir, 'mail', 'outbox.jsonl');
  let link: string | undefined;
  for (let i = 0; i < 100 && !link; i++) {
    if (existsSync(outbox)) {
      const mails = readFileSync(outbox, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      link = mails
        .filter((m) => m.to === INVITEE.email)
        .map((m) => /https?:\/\/\S+/.exec(m.text)?.[0])
        .pop();
    }
    if (!link) await new Promise((r) => setTimeout(r, 100));
  }
  check(link, 'the invite mail reaches the mailbox');
  check(link.startsWith(`${api}/app/invite?token=`), `the mailed link points at this server (${link.split('?')[0]})`);
  const token = new URL(link).searchParams.get('token')!;
  const accepted = await json('POST', `${api}/admin/invites/accept?token=${encodeURIComponent(token)}`, {
    password: INVITEE.password,
    first_name: 'Smoke',
  });
  check(accepted.status === 200 && accepted.body.user.email === INVITEE.email, `accept: ${JSON.stringify(accepted)}`);
  const invitee = await json('POST', `${api}/auth/user/emailpass`, INVITEE);
  check(invitee.status === 200 && invitee.body.token, `invitee login: ${invitee.status}`);
  const me = await json('GET', `${api}/admin/users/me`, undefined, invitee.body.token);
  check(me.status === 200 && me.body.user.email === INVITEE.email, 'the invitee is a user');
}

/** Stop with `signal` (to the group: Ctrl-C; or to npm alone: SIGTERM) and check nothing is left. */
async function stopAndCheck(stack: Stack, dataDir: string, signal: NodeJS.Signals, toGroup: boolean) {
  const run = JSON.parse(readFileSync(join(dataDir, 'run.json'), 'utf8')) as {
    pid: number;
    children: { pid: number }[];
  };
  const pids = [run.pid, ...run.children.map((c) => c.pid)];
  const started = Date.now();
  check(
    stack.child.exitCode === null && stack.child.signalCode === null,
    `npm start ended by itself (${stack.child.exitCode ?? stack.child.signalCode}):\n${stack.output().slice(-3000)}`,
  );
  process.kill(toGroup ? -stack.child.pid! : stack.child.pid!, signal);
  const code = await new Promise<number | null>((resolve) => {
    if (stack.child.exitCode !== null) return resolve(stack.child.exitCode);
    const timer = setTimeout(() => resolve(-1), 20_000);
    stack.child.once('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  const seconds = (Date.now() - started) / 1000;
  check(code === 0, `${signal}: exit code ${code} after ${seconds} s:\n${stack.output().slice(-3000)}`);
  for (const pid of pids) check(await waitForExit(pid, 2000), `${signal}: process ${pid} is still running`);
  for (const port of stack.ports) check(await portIsFree(port), `${signal}: port ${port} is still taken`);
  console.log(
    `smoke: ${signal}${toGroup ? ' (process group)' : ' (npm only)'} stopped everything in ${seconds.toFixed(1)} s`,
  );
}

const taken = new Set<number>();
/**
 * A free port below Linux's ephemeral range (32768+): the stack is started four times on the same ports
 * over minutes, and an ephemeral port can meanwhile become the local end of some outgoing connection
 * on a busy machine, which a listener then cannot bind.
 */
async function listenPort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (!taken.has(port) && (await portIsFree(port))) {
      taken.add(port);
      return port;
    }
  }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'usermod-smoke-'));
  chmodSync(dataDir, 0o755); // like a checkout's .data: the embedded PostgreSQL's user may traverse it
  const ports = {
    PORT: await listenPort(),
    CODEC_SERVER_PORT: await listenPort(),
    TEMPORAL_DEV_PORT: await listenPort(),
    TEMPORAL_UI_PORT: await listenPort(),
    EMBEDDED_PG_PORT: await listenPort(),
  };
  const api = `http://localhost:${ports.PORT}`;
  let stack: Stack | undefined;
  try {
    let t = Date.now();
    stack = await startStack(dataDir, ports);
    await waitReady(stack, api, 180_000);
    console.log(`smoke: first start ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    await journey(api, dataDir);
    console.log('smoke: admin login, invite, accept from the mailed link, invitee login: ok');
    await stopAndCheck(stack, dataDir, 'SIGINT', true);

    t = Date.now();
    stack = await startStack(dataDir, ports);
    await waitReady(stack, api, 120_000);
    console.log(`smoke: second start ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    await stopAndCheck(stack, dataDir, 'SIGTERM', false);

    // kill -9 of npm (and of the node it started) leaves the dev server and PostgreSQL running.
    stack = await startStack(dataDir, ports);
    await waitReady(stack, api, 120_000);
    const run = JSON.parse(readFileSync(join(dataDir, 'run.json'), 'utf8')) as {
      pid: number;
      children: { pid: number }[];
    };
    process.kill(stack.child.pid!, 'SIGKILL');
    process.kill(run.pid, 'SIGKILL');
    await waitForExit(run.pid, 5000);
    check(
      run.children.some((c) => isAlive(c.pid)),
      'kill -9 leaves children behind (the case under test)',
    );
    stack = await startStack(dataDir, ports);
    await waitReady(stack, api, 120_000);
    check(/stopping the (temporal|postgres)/.test(stack.output()), 'the next start says it stopped the leftovers');
    const login = await json('POST', `${api}/auth/user/emailpass`, INVITEE);
    check(login.status === 200, 'data survived the restarts');
    console.log('smoke: a start after kill -9 stopped the leftovers and came up');
    await stopAndCheck(stack, dataDir, 'SIGINT', true);
    stack = undefined;
  } finally {
    if (stack && stack.child.exitCode === null && stack.child.signalCode === null) {
      try {
        process.kill(-stack.child.pid!, 'SIGINT');
        await new Promise((r) => setTimeout(r, 10_000));
      } catch {
        /* already gone */
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => {
    console.log('smoke: npm start passed');
    process.exit(0);
  },
  (err: Error) => {
    console.error(err.message.startsWith('smoke failed') ? err.message : err.stack);
    process.exit(1);
  },
);
