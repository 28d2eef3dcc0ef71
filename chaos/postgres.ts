import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  newPassword,
  postgresUser,
  reachableBy,
  sharedHome,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../devstack/embedded-postgres';

/** A throw-away PostgreSQL the fault suite can stop and start again on the same port and data. */
export interface RestartablePostgres {
  adminUrl: string;
  port: number;
  /** Stop the server (fast shutdown: open transactions are rolled back, clients are cut off). */
  stop(): Promise<void>;
  /** Start it again with its data. */
  start(): Promise<void>;
  readonly running: boolean;
  pid(): number | undefined;
  /** Stop it and remove its data. */
  destroy(): Promise<void>;
}

export async function startRestartablePostgres(port: number): Promise<RestartablePostgres> {
  const password = newPassword();
  // As root the cluster runs as `postgres`, which must reach the folder (see devstack/database.ts).
  const user = postgresUser();
  const base = !user || reachableBy(tmpdir(), user.uid) ? tmpdir() : sharedHome();
  const parent = mkdtempSync(join(base, 'usermod-chaos-pg-'));
  chmodSync(parent, 0o755);
  const dataDir = join(parent, 'data');
  let pg: EmbeddedPostgres | undefined;
  const start = async () => {
    if (pg) return;
    pg = await startEmbeddedPostgres({ dataDir, port, password });
  };
  const stop = async () => {
    const running = pg;
    pg = undefined;
    await running?.stop();
  };
  try {
    await start();
  } catch (err) {
    rmSync(parent, { recursive: true, force: true });
    throw err;
  }
  return {
    adminUrl: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop,
    start,
    get running() {
      return pg !== undefined;
    },
    pid: () => pg?.pid,
    destroy: async () => {
      await stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}
