import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { projectRoot } from '../config';
import { createDatabase, dropDatabase } from '../devstack/postgres-admin';
import { migrate, readMigrations } from '../devstack/migrate';

const adminUrl = process.env.USERMOD_TEST_ADMIN_URL!;
const migrationsDir = join(projectRoot, 'prisma', 'migrations');
const created: string[] = [];

async function freshDb(): Promise<string> {
  const name = `usermod_mig_${Date.now()}_${created.length}`;
  created.push(name);
  return createDatabase(adminUrl, name);
}

async function query<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

afterAll(async () => {
  for (const name of created) await dropDatabase(adminUrl, name);
});

describe('migration applier', () => {
  test("applies every migration and keeps Prisma's _prisma_migrations bookkeeping", async () => {
    const url = await freshDb();
    const result = await migrate(url, migrationsDir);
    const files = readMigrations(migrationsDir);
    expect(result.applied).toEqual(files.map((f) => f.name));

    const rows = await query<{
      id: string;
      checksum: string;
      migration_name: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      logs: string | null;
      applied_steps_count: number;
    }>(url, 'SELECT * FROM _prisma_migrations ORDER BY started_at');
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, row] of rows.entries()) {
      const bytes = readFileSync(join(migrationsDir, files[i].name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    const columns = await query<{ column_name: string; data_type: string; character_maximum_length: number | null }>(
      url,
      `SELECT column_name, data_type, character_maximum_length FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(
      columns.map(
        (c) => `${c.column_name}:${c.data_type}${c.character_maximum_length ? `(${c.character_maximum_length})` : ''}`,
      ),
    ).toEqual([
      'id:character varying(36)',
      'checksum:character varying(64)',
      'finished_at:timestamp with time zone',
      'migration_name:character varying(255)',
      'logs:text',
      'rolled_back_at:timestamp with time zone',
      'started_at:timestamp with time zone',
      'applied_steps_count:integer',
    ]);
  });

  test('is idempotent, and concurrent runs apply each migration once (advisory lock)', async () => {
    const url = await freshDb();
    const results = await Promise.all([
      migrate(url, migrationsDir),
      migrate(url, migrationsDir),
      migrate(url, migrationsDir),
    ]);
    const total = readMigrations(migrationsDir).length;
    expect(results.reduce((n, r) => n + r.applied.length, 0)).toBe(total);
    expect((await migrate(url, migrationsDir)).applied).toEqual([]);
    const [{ n }] = await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM _prisma_migrations');
    expect(n).toBe(total);
  });

  test('a failing migration is recorded with its logs and blocks later runs (P3018, then P3009)', async () => {
    const url = await freshDb();
    const dir = mkdtempSync(join(tmpdir(), 'usermod-mig-'));
    cpSync(migrationsDir, dir, { recursive: true });
    mkdirSync(join(dir, '29990101000000_broken'));
    writeFileSync(
      join(dir, '29990101000000_broken', 'migration.sql'),
      'CREATE TABLE ok_part (id int);\nSELECT * FROM no_such_table;\n',
    );

    await expect(migrate(url, dir)).rejects.toMatchObject({
      code: 'P3018',
      message: expect.stringContaining('no_such_table'),
    });
    const [row] = await query<{ finished_at: Date | null; logs: string }>(
      url,
      `SELECT * FROM _prisma_migrations WHERE migration_name = '29990101000000_broken'`,
    );
    expect(row.finished_at).toBeNull();
    expect(row.logs).toContain('no_such_table');
    // One implicit transaction: the half that ran was rolled back.
    expect(await query(url, `SELECT to_regclass('ok_part') AS t`)).toEqual([{ t: null }]);
    await expect(migrate(url, dir)).rejects.toMatchObject({ code: 'P3009' });
  });

  test('refuses a non-empty schema with no migration history (P3005)', async () => {
    const url = await freshDb();
    await query(url, 'CREATE TABLE someone_elses (id int)');
    await expect(migrate(url, migrationsDir)).rejects.toMatchObject({ code: 'P3005' });
  });
});

/** Minimal reading of schema.prisma: models, their @@map, fields (type, optional) and named indexes. */
function readSchema() {
  const text = readFileSync(join(projectRoot, 'prisma', 'schema.prisma'), 'utf8');
  const enums = new Map<string, string[]>();
  for (const m of text.matchAll(/^enum (\w+) \{([^}]*)\}/gm)) {
    enums.set(
      m[1],
      m[2]
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('//')),
    );
  }
  const models = [...text.matchAll(/^model (\w+) \{([^}]*)\}/gm)].map((m) => {
    const body = m[2];
    const table = /@@map\("(\w+)"\)/.exec(body)?.[1] ?? m[1];
    const fields = [...body.matchAll(/^\s+(\w+)\s+(\w+)(\?|\[\])?(.*)$/gm)]
      .filter((f) => !f[1].startsWith('@') && f[3] !== '[]' && !/@relation/.test(f[4]))
      .map((f) => ({ name: f[1], type: f[2], optional: f[3] === '?', attrs: f[4] }));
    const indexes = [...body.matchAll(/map: "(\w+)"/g)].map((i) => i[1]);
    return { table, fields, indexes };
  });
  return { enums, models };
}

const PG_TYPE: Record<string, string> = {
  String: 'text',
  Boolean: 'boolean',
  Int: 'integer',
  Json: 'jsonb',
  DateTime: 'timestamp with time zone',
};

describe('schema.prisma and the migrations agree', () => {
  test('every model, column, type, nullability, enum and named index matches the migrated database', async () => {
    const url = await freshDb();
    await migrate(url, migrationsDir);
    const { enums, models } = readSchema();

    const dbTables = await query<{ table_name: string }>(
      url,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY 1`,
    );
    expect(dbTables.map((t) => t.table_name)).toEqual(models.map((m) => m.table).sort());

    for (const model of models) {
      const cols = await query<{ column_name: string; data_type: string; udt_name: string; is_nullable: string }>(
        url,
        `SELECT column_name, data_type, udt_name, is_nullable FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
        [model.table],
      );
      const actual = cols.map((c) => ({
        name: c.column_name,
        type: c.data_type === 'USER-DEFINED' ? c.udt_name : c.data_type,
        optional: c.is_nullable === 'YES',
      }));
      const expected = model.fields.map((f) => ({
        name: f.name,
        type: enums.has(f.type) ? f.type : PG_TYPE[f.type],
        optional: f.optional,
      }));
      expect({ table: model.table, columns: actual }).toEqual({ table: model.table, columns: expected });

      const idx = await query<{ indexname: string }>(url, 'SELECT indexname FROM pg_indexes WHERE tablename = $1', [
        model.table,
      ]);
      const names = idx.map((i) => i.indexname);
      for (const name of model.indexes) expect(names).toContain(name);
    }
    for (const [name, values] of enums) {
      const rows = await query<{ v: string }>(url, `SELECT unnest(enum_range(NULL::"${name}"))::text AS v`);
      expect(rows.map((r) => r.v)).toEqual(values);
    }
  });
});
