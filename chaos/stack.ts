import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSealKeys } from '../auth/seal';
import { projectRoot } from '../config';
import { freePort } from '../devstack/free-port';
import { migrate } from '../devstack/migrate';
import { createDatabase } from '../devstack/postgres-admin';
import { waitForExit } from '../devstack/processes';
import { ensureTemporalCli } from '../devstack/temporal-cli';
import { startDevServer, type DevServer } from '../devstack/temporal-server';
import { startRestartablePostgres, type RestartablePostgres } from './postgres';

/** A usermod process (the worker or the API) the fault suite can kill and start again. */
class Service {
  private child?: ChildProcess;
  /** Every line it printed, for the log-noise count. */
  readonly lines: string[] = [];

  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly env: Record<string, string>,
  ) {}

  start(): void {
    const child = spawn(process.execPath, ['--import', 'tsx', this.entry], {
      cwd: projectRoot,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    const onData = (d: Buffer) => {
      const text = partial + String(d);
      const parts = text.split('\n');
      partial = parts.pop()!;
      this.lines.push(...parts);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    this.child = child;
  }

  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  /** `kill -9`: no drain, activities cut off mid-step. */
  async kill(): Promise<void> {
    const pid = this.pid;
    if (!pid) return;
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid, 10_000);
  }

  async stop(): Promise<void> {
    const pid = this.pid;
    if (!pid) return;
    process.kill(pid, 'SIGTERM');
    if (!(await waitForExit(pid, 30_000))) process.kill(pid, 'SIGKILL');
  }
}

export interface ChaosSettings {
  /** The forward budget of the worker under test (short, so the suite runs in minutes). */
  forwardBudgetSeconds: number;
  compensationAlertSeconds: number;
}

/**
 * The stack the fault suite breaks: its own Temporal dev server (SQLite on disk, so a kill -9 and a
 * restart keep every run), its own PostgreSQL, and a worker and an API as separate processes, all on
 * free ports in a temporary folder.
 */
export async function startChaosStack(settings: ChaosSettings) {
  const dir = mkdtempSync(join(tmpdir(), 'usermod-chaos-'));
  const cliPath = await ensureTemporalCli();
  const temporalPort = await freePort();
  const dbFile = join(dir, 'temporal.sqlite');
  const startTemporal = () => startDevServer({ cliPath, port: temporalPort, dbFile });
  let temporal: DevServer = await startTemporal();
  const pg: RestartablePostgres = await startRestartablePostgres(await freePort());
  const databaseUrl = await createDatabase(pg.adminUrl, 'usermod');
  await migrate(databaseUrl, join(projectRoot, 'prisma', 'migrations'));

  const apiPort = await freePort();
  const admin = { email: 'chaos-admin@example.com', password: `Chaos-admin-${randomBytes(12).toString('base64url')}` };
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: 'usermod-chaos',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    USERMOD_PAYLOAD_KEYS: `chaos:${randomBytes(32).toString('base64')}`,
    USERMOD_SEAL_KEYS: generateSealKeys('chaos').privateKeys,
    // The load comes from one address and signs in often; the limits have their own tests.
    RATE_LIMIT_PER_IP: '1000000',
    RATE_LIMIT_PER_IDENTIFIER: '1000000',
    USERMOD_DATA_DIR: dir,
    USERMOD_FORWARD_BUDGET_SECONDS: String(settings.forwardBudgetSeconds),
    USERMOD_COMPENSATION_ALERT_SECONDS: String(settings.compensationAlertSeconds),
    USERMOD_RETRY_MAX_INTERVAL_SECONDS: '5',
    // The suite checks the invariants itself; no scheduled reconciler or expiry meanwhile.
    RECONCILE_INTERVAL: '0',
    INVITE_EXPIRY_INTERVAL: '86400',
    MAIL_TRANSPORT: 'file',
    LOG_LEVEL: 'warn',
    PORT: String(apiPort),
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    SDK_METRICS_PORT: String(await freePort()),
    WORKER_METRICS_PORT: String(await freePort()),
  };
  const worker = new Service('worker', 'worker/main.ts', env);
  const api = new Service('api', 'api/main.ts', env);
  worker.start();
  api.start();

  return {
    dir,
    env,
    admin,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    databaseUrl,
    temporalAddress: () => temporal.address,
    pg,
    worker,
    api,
    /** `kill -9` the Temporal server, then start it again on the same port and data. */
    async restartTemporal(downMs: number): Promise<void> {
      process.kill(temporal.pid, 'SIGKILL');
      await waitForExit(temporal.pid, 10_000);
      await new Promise((r) => setTimeout(r, downMs));
      temporal = await startTemporal();
    },
    async stop(): Promise<void> {
      await api.stop();
      await worker.stop();
      await temporal.stop();
      await pg.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ChaosStack = Awaited<ReturnType<typeof startChaosStack>>;
