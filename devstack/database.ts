import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { StartupError } from '../infra/startup-error';
import {
  clusterDir,
  newPassword,
  postgresUser,
  reachableBy,
  sharedHome,
  startEmbeddedPostgres,
} from './embedded-postgres';
import { ensureDatabase } from './postgres-admin';
import { embeddedDatabaseUrl } from '../config';

/** A PostgreSQL server usermod can reach, and how to stop it if usermod started it. */
export interface DatabaseServer {
  /** URL of the server's maintenance database (`postgres`), used to create/drop databases. */
  adminUrl: string;
  /** The postmaster's pid when usermod started it. */
  pid?: number;
  /** Where its data lives when usermod started it. */
  dataDir?: string;
  stop(): Promise<void>;
}

const urlFor = embeddedDatabaseUrl;

/** The zero-setup default: a persistent embedded PostgreSQL 15 in `<dataDir>/postgres` (or, see clusterDir). */
export async function startEmbeddedServer(dataDir: string, port: number, password: string): Promise<DatabaseServer> {
  const dir = clusterDir(join(dataDir, 'postgres'));
  try {
    const pg = await startEmbeddedPostgres({ dataDir: dir, port, password });
    return { adminUrl: urlFor(port, password, 'postgres'), pid: pg.pid, dataDir: dir, stop: pg.stop };
  } catch (err) {
    throw new StartupError(
      'embedded PostgreSQL',
      `${(err as Error).message} (data in ${dir}, port ${port}: set EMBEDDED_PG_PORT, or DATABASE_URL to use another server)`,
    );
  }
}

/** A throw-away embedded server in a fresh temporary directory (tests, benchmarks), removed when stopped. */
export async function startEphemeralServer(port: number): Promise<DatabaseServer> {
  const password = newPassword();
  // As root, the temp dir must be reachable by `postgres`: /tmp is; a 0700 TMPDIR is not.
  const user = postgresUser();
  const base = !user || reachableBy(tmpdir(), user.uid) ? tmpdir() : sharedHome();
  const parent = mkdtempSync(join(base, 'usermod-pg-'));
  chmodSync(parent, 0o755); // mkdtemp makes it 0700; the cluster's own folder below stays 0700
  const dir = join(parent, 'data');
  try {
    const pg = await startEmbeddedPostgres({ dataDir: dir, port, password, ephemeral: true });
    const stop = async () => {
      await pg.stop();
      rmSync(parent, { recursive: true, force: true });
    };
    return { adminUrl: urlFor(port, password, 'postgres'), pid: pg.pid, dataDir: dir, stop };
  } catch (err) {
    rmSync(parent, { recursive: true, force: true });
    throw err;
  }
}

/** Why a PostgreSQL URL cannot be used, in words that name the setting. */
export function describeConnectionError(err: unknown, url: string, setting: string): string {
  const e = err as NodeJS.ErrnoException & { code?: string; hostname?: string };
  let where = 'the server';
  try {
    const u = new URL(url);
    where = `${u.hostname}:${u.port || 5432}`;
    if (e.code === '3D000') return `${setting}: database '${u.pathname.slice(1)}' does not exist on ${where}`;
    if (e.code === '28P01' || e.code === '28000')
      return `${setting}: the server at ${where} refused user '${decodeURIComponent(u.username)}' (${e.message})`;
  } catch {
    return `${setting} is not a valid PostgreSQL URL (postgresql://user:password@host:port/database)`;
  }
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `${setting}: host '${e.hostname ?? where}' not found`;
  if (e.code === 'ECONNREFUSED') return `${setting}: nothing accepts connections at ${where} (is PostgreSQL running?)`;
  if (e.code === 'ETIMEDOUT' || /timeout/i.test(e.message ?? ''))
    return `${setting}: no answer from ${where} within 5 s`;
  return `${setting}: cannot connect to ${where}: ${e.message ?? String(err)}`;
}

/** Connect once, so a wrong URL fails at start-up with a message naming the setting. */
export async function checkDatabase(url: string, setting: string): Promise<void> {
  let client: Client;
  try {
    client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  } catch (err) {
    throw new StartupError('database', describeConnectionError(err, 'not a url', setting));
  }
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new StartupError('database', describeConnectionError(err, url, setting));
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The application database: DATABASE_URL as given, else database `usermod` on the embedded server. */
export async function openAppDatabase(config: {
  databaseUrl?: string;
  dataDir: string;
  embeddedPgPort: number;
  embeddedPgPassword?: string;
}) {
  if (config.databaseUrl) {
    await checkDatabase(config.databaseUrl, 'DATABASE_URL');
    return {
      url: config.databaseUrl,
      embedded: false,
      dataDir: undefined,
      pid: undefined,
      stop: async () => undefined,
    };
  }
  if (!config.embeddedPgPassword)
    throw new StartupError('database', 'the embedded PostgreSQL needs the local secrets file (npm start creates it)');
  const server = await startEmbeddedServer(config.dataDir, config.embeddedPgPort, config.embeddedPgPassword);
  try {
    return {
      url: await ensureDatabase(server.adminUrl, 'usermod'),
      embedded: true,
      dataDir: server.dataDir,
      pid: server.pid,
      stop: server.stop,
    };
  } catch (err) {
    await server.stop();
    throw new StartupError(
      'embedded PostgreSQL',
      describeConnectionError(err, server.adminUrl, `the embedded PostgreSQL in ${server.dataDir}`),
    );
  }
}
