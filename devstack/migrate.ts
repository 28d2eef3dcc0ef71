import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * Applies prisma/migrations/<name>/migration.sql in order, keeping Prisma's own `_prisma_migrations`
 * bookkeeping exactly (same table, sha256 checksums, step counts), so `prisma migrate` accepts the
 * history. Prisma 7's migration engine is a native binary that cannot be downloaded here; this is the
 * apply half of `prisma migrate deploy` only.
 */

// Same arbitrary key for every applier process: concurrent starts (many workers) serialise here.
const LOCK_KEY = 72707369;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(
    readonly code: 'P3005' | 'P3009' | 'P3018',
    message: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    });
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
  modified: string[];
}

export async function migrate(databaseUrl: string, migrationsDir: string): Promise<MigrateResult> {
  const migrations = readMigrations(migrationsDir);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    const {
      rows: [{ exists }],
    } = await client.query(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`);
    if (!exists) {
      const {
        rows: [{ n }],
      } = await client.query(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema()`,
      );
      if (n > 0) {
        throw new MigrationError(
          'P3005',
          'The database schema is not empty and has no migration history; refusing to migrate it (P3005).',
        );
      }
      await client.query(CREATE_TABLE);
    }
    const { rows: history } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at');

    const failed = history.filter((h) => h.finished_at === null && h.rolled_back_at === null);
    if (failed.length > 0) {
      throw new MigrationError(
        'P3009',
        `Migration ${failed.map((f) => `'${f.migration_name}'`).join(', ')} failed earlier; resolve it by hand before migrating again (P3009).`,
      );
    }
    const applied = new Map(
      history
        .filter((h) => h.finished_at !== null && h.rolled_back_at === null)
        .map((h) => [h.migration_name, h.checksum]),
    );

    const result: MigrateResult = { applied: [], alreadyApplied: [], modified: [] };
    for (const m of migrations) {
      const known = applied.get(m.name);
      if (known !== undefined) {
        result.alreadyApplied.push(m.name);
        if (known !== m.checksum) result.modified.push(m.name);
        continue;
      }
      const id = randomUUID();
      await client.query(
        'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
        [id, m.checksum, m.name],
      );
      try {
        // One simple-protocol query: the whole file runs in one implicit transaction, like Prisma.
        await client.query(m.sql);
      } catch (err) {
        await client.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, String(err)]);
        throw new MigrationError('P3018', `Migration '${m.name}' failed to apply: ${(err as Error).message}`);
      }
      await client.query(
        'UPDATE "_prisma_migrations" SET applied_steps_count = applied_steps_count + 1, finished_at = now() WHERE id = $1',
        [id],
      );
      result.applied.push(m.name);
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
