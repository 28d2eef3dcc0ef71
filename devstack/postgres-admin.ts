import { Client } from 'pg';

// Database-level administration on any PostgreSQL server (embedded or DATABASE_URL's).

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(adminUrl: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name '${name}'`);
  return `"${name}"`;
};

export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  await admin(adminUrl, async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await c.query(`CREATE DATABASE ${ident(name)}`);
  });
  return withDatabase(adminUrl, name);
}

export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await admin(adminUrl, (c) => c.query(`CREATE DATABASE ${ident(name)}`));
  return withDatabase(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await admin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`));
}
