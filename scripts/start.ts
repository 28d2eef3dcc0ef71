// npm start — the whole stack on one machine: Temporal dev server + Web UI (unless TEMPORAL_ADDRESS
// names a cluster), PostgreSQL (DATABASE_URL or the embedded one), migrations, a worker and the admin
// API. Ready when GET /health is 200. Ctrl-C or SIGTERM stops all of it, newest first; a start-up
// failure stops what was already started and prints one line naming the cause.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { ConfigError, loadConfig, projectRoot, type Config } from '../config';
import { ensureLocalSecrets } from '../config/secrets';
import { openAppDatabase } from '../devstack/database';
import { logger } from '../infra/logger';
import { migrate } from '../devstack/migrate';
import { commandOf, isAlive, parentOf, portHolder, portIsFree, terminate } from '../devstack/processes';
import { StartupError } from '../infra/startup-error';
import { ensureTemporalCli } from '../devstack/temporal-cli';
import { startDevServer, waitForTemporal } from '../devstack/temporal-server';
import { parseCodecKeys } from '../codec/aes-gcm-codec';
import { buildCodecServer } from '../codec/server';
import { runWorker } from '../worker/main';
import { startApi } from '../api/main';

/** What a running `npm start` records, so the next one can stop what a killed one left behind. */
interface RunRecord {
  pid: number;
  children: { pid: number; what: string }[];
}

const runFile = (config: Config) => join(config.dataDir, 'run.json');

function record(config: Config, run: RunRecord) {
  writeFileSync(runFile(config), JSON.stringify(run) + '\n');
}

/**
 * A previous start whose own process is gone (kill -9) leaves its dev server and database running:
 * stop them. One whose process still runs but whose launcher died (`kill -9` of `npm start` leaves
 * tsx's node running, adopted by init) is stopped too. One still attached to a terminal is refused.
 */
async function stopLeftovers(config: Config) {
  const file = runFile(config);
  if (!existsSync(file)) return;
  let run: RunRecord;
  try {
    run = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
  } catch {
    rmSync(file);
    return;
  }
  if (run.pid !== process.pid && isAlive(run.pid) && /scripts\/start/.test(commandOf(run.pid))) {
    if (!orphaned(run.pid)) {
      throw new StartupError(
        'npm start',
        `usermod is already running from this folder (pid ${run.pid}); stop it first (Ctrl-C in its terminal, or kill ${run.pid})`,
      );
    }
    logger.warn(`stopping a previous usermod (pid ${run.pid}) whose npm process was killed`);
    await terminate(run.pid, 30_000);
  }
  for (const child of run.children) {
    if (isAlive(child.pid) && commandOf(child.pid).includes(child.what)) {
      logger.warn(`stopping the ${child.what} (pid ${child.pid}) a killed usermod left running`);
      await terminate(child.pid);
    }
  }
  rmSync(file, { force: true });
}

/** Was this process's launcher chain (npm → sh → tsx → node) cut off, leaving it adopted by init? */
function orphaned(pid: number): boolean {
  for (let p: number | undefined = parentOf(pid), hops = 0; p !== undefined && hops < 6; p = parentOf(p), hops++) {
    if (p <= 1) return true;
    if (!/\b(node|tsx|sh|npm)\b/.test(commandOf(p).split(' ')[0]) && !/\b(tsx|npm)\b/.test(commandOf(p))) return false;
  }
  return false;
}

/** Every port this start will listen on, checked before anything starts, with the variable that sets it. */
async function checkPorts(config: Config) {
  const ports: [number, string][] = [
    [config.api.port, 'PORT'],
    [config.codecServer.port, 'CODEC_SERVER_PORT'],
  ];
  if (!config.temporal.address)
    ports.push([config.temporal.devPort, 'TEMPORAL_DEV_PORT'], [config.temporal.uiPort, 'TEMPORAL_UI_PORT']);
  if (!config.databaseUrl) ports.push([config.embeddedPgPort, 'EMBEDDED_PG_PORT']);
  for (const [port, variable] of ports) {
    if (await portIsFree(port)) continue;
    const holder = portHolder(port);
    const who = holder ? `pid ${holder.pid} (${holder.command})` : 'another process';
    throw new StartupError(
      'ports',
      `port ${port} (${variable}) is already in use by ${who}: stop it or set ${variable} to a free port`,
    );
  }
}

async function waitUntilReady(
  health: () => Promise<Record<string, boolean>>,
  timeoutMs: number,
  failed: () => Error | undefined,
) {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, boolean> = {};
  while (Date.now() < deadline) {
    const early = failed();
    if (early) throw early;
    last = await health();
    if (Object.values(last).every(Boolean)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  const down = Object.entries(last)
    .filter(([, ok]) => !ok)
    .map(([k]) => k);
  throw new StartupError('readiness', `not ready after ${timeoutMs / 1000} s: ${down.join(', ')} not ready`);
}

/** Start-up abandoned because of a signal: not a failure. */
class Stopped extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number, component: string, reason: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new StartupError(component, reason)), ms))),
  ]);
}

async function main() {
  // The SDK would drain workers on signals by itself; usermod stops the whole stack in order instead.
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const dataDir = resolve(projectRoot, process.env.USERMOD_DATA_DIR || '.data');
  ensureLocalSecrets(dataDir);
  const config = loadConfig();

  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => logger.error({ err }, 'stop failed'));
    stops.length = 0;
  };
  const abort = new AbortController();
  let stoppingSince = 0;
  const onSignal = (signal: string) => {
    if (stoppingSince) {
      // tsx relays the terminal's Ctrl-C to us as a second copy of the same signal: only a later one
      // (a person pressing Ctrl-C again) means "exit now".
      if (Date.now() - stoppingSince < 1500) return;
      logger.warn(`${signal} again: exiting without a clean stop`);
      process.exit(130);
    }
    stoppingSince = Date.now();
    logger.info(`${signal}: stopping usermod`);
    abort.abort();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGHUP', () => onSignal('SIGHUP'));

  // A signal during start-up abandons the start: whatever already runs is stopped by the `finally`.
  const aborted = new Promise<never>((_, reject) =>
    abort.signal.addEventListener('abort', () => reject(new Stopped())),
  );
  aborted.catch(() => undefined);
  const step = <T>(p: Promise<T>) => Promise.race([p, aborted]);

  const run: RunRecord = { pid: process.pid, children: [] };
  try {
    await stopLeftovers(config);
    await checkPorts(config);
    record(config, run);
    stops.push(async () => rmSync(runFile(config), { force: true }));

    // The codec server lets the Web UI show decrypted payloads (browser → this server, never Temporal).
    const codecToken = config.codecServer.token!;
    const codec = await buildCodecServer({
      keys: parseCodecKeys(config.payloadKeys),
      token: codecToken,
      uiOrigins: config.codecServer.uiOrigins,
    });
    await codec.listen({ host: '127.0.0.1', port: config.codecServer.port }).catch((err: Error) => {
      throw new StartupError(
        'codec server',
        `cannot listen on port ${config.codecServer.port} (CODEC_SERVER_PORT): ${err.message}`,
      );
    });
    stops.push(() => codec.close());
    const codecUrl = `http://localhost:${config.codecServer.port}/${codecToken}`;

    let temporalAddress = config.temporal.address;
    let uiUrl: string | undefined;
    const started = await step(
      Promise.allSettled([
        (async () => {
          const db = await openAppDatabase(config);
          stops.push(db.stop);
          if (db.pid) run.children.push({ pid: db.pid, what: 'postgres' });
          record(config, run);
          return db;
        })(),
        (async () => {
          if (temporalAddress) {
            await waitForTemporal(temporalAddress, 10_000).catch((err: Error) => {
              throw new StartupError('Temporal', `cannot reach TEMPORAL_ADDRESS=${temporalAddress}: ${err.message}`);
            });
            return;
          }
          const cliPath = await ensureTemporalCli((l) => logger.info(l)).catch((err: Error) => {
            throw new StartupError('Temporal CLI', err.message);
          });
          const server = await startDevServer({
            cliPath,
            port: config.temporal.devPort,
            uiPort: config.temporal.uiPort,
            dbFile: join(config.dataDir, 'temporal.sqlite'),
            namespace: config.temporal.namespace,
            codecEndpoint: codecUrl,
            inheritOutput: true,
          });
          stops.push(server.stop);
          run.children.push({ pid: server.pid, what: 'temporal' });
          record(config, run);
          temporalAddress = server.address;
          uiUrl = server.uiUrl;
        })(),
      ]),
    );
    const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
    const db = (started[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof openAppDatabase>>>).value;

    const migrated = await step(
      migrate(db.url, join(projectRoot, 'prisma', 'migrations')).catch((err: Error) => {
        throw new StartupError('migrations', err.message);
      }),
    );
    if (migrated.applied.length) logger.info({ applied: migrated.applied }, 'migrations applied');

    let workerError: Error | undefined;
    const worker = runWorker({ databaseUrl: db.url, temporalAddress: temporalAddress!, signal: abort.signal }).catch(
      (err: Error) => {
        workerError = new StartupError('worker', err.message);
      },
    );
    stops.push(async () => {
      abort.abort();
      await worker;
    });
    const api = await step(startApi({ config, databaseUrl: db.url, temporalAddress: temporalAddress! }));
    stops.push(api.close);
    const workerDied = worker.then(() =>
      Promise.reject(workerError ?? new StartupError('worker', 'stopped during start-up')),
    );
    await step(
      Promise.race([
        withTimeout(api.seedAdmin(), 60_000, 'first admin', 'not created within 60 s (ADMIN_EMAIL)'),
        workerDied,
      ]),
    );
    await step(waitUntilReady(api.health, 60_000, () => workerError));

    const dataNote = db.embedded ? `embedded PostgreSQL 15 in ${db.dataDir}` : 'DATABASE_URL';
    console.log(
      [
        '',
        'usermod is running',
        `  Admin API          ${api.url}  (OpenAPI: ${api.url}/docs, readiness: ${api.url}/health)`,
        `  Public URL         ${config.publicUrl}  (mail links: ${config.invites.acceptUrl}?token=…)`,
        `  Temporal frontend  ${temporalAddress}  (namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue})`,
        uiUrl ? `  Temporal Web UI    ${uiUrl}` : '  Temporal Web UI    (external cluster: use its own UI)',
        `  Codec server       http://localhost:${config.codecServer.port}  (token in ${join(config.dataDir, 'secrets.json')})`,
        `  Invite mail        ${config.mail.transport === 'smtp' ? 'SMTP' : config.mail.outboxFile}`,
        `  Database           ${dataNote}`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    await Promise.race([worker, new Promise((r) => abort.signal.addEventListener('abort', r))]);
    if (workerError) throw workerError;
  } finally {
    await stopAll();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    if (err instanceof Stopped) process.exit(0);
    const line =
      err instanceof StartupError || err instanceof ConfigError ? err.message : `${err.message ?? err}`.split('\n')[0];
    process.stderr.write(`usermod failed to start: ${line}\n`);
    if (process.env.LOG_LEVEL === 'debug') process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  },
);
