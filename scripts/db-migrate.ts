// npm run db:migrate — apply prisma/migrations to DATABASE_URL (or the embedded database).
import { join, resolve } from 'node:path';
import { ensureLocalSecrets } from '../config/secrets';
import { loadConfig, projectRoot } from '../config';
import { openAppDatabase } from '../devstack/database';
import { migrate } from '../devstack/migrate';

async function main() {
  // Like npm start, a local run without DATABASE_URL uses (and first creates) the embedded database.
  if (!process.env.DATABASE_URL) ensureLocalSecrets(resolve(projectRoot, process.env.USERMOD_DATA_DIR || '.data'));
  const db = await openAppDatabase(loadConfig());
  try {
    const result = await migrate(db.url, join(projectRoot, 'prisma', 'migrations'));
    for (const name of result.applied) console.log(`applied   ${name}`);
    for (const name of result.modified) console.warn(`WARNING   ${name} was changed after it was applied`);
    console.log(
      result.applied.length
        ? `${result.applied.length} migration(s) applied`
        : 'Already in sync, no migration to apply',
    );
  } finally {
    await db.stop();
  }
}

main().catch((err: Error) => {
  console.error(`usermod: db:migrate failed: ${err.message}`);
  process.exit(1);
});
