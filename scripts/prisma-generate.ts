// npm run db:generate (also run by npm install): generate the Prisma client into generated/prisma.
// Prisma 7's CLI tries to download its schema engine even for `generate`, which needs none; pointing
// it at /bin/false keeps `generate` working offline.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../config';

const prisma = join(projectRoot, 'node_modules', '.bin', 'prisma');
const out = spawnSync(prisma, ['generate'], {
  cwd: projectRoot,
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
  encoding: 'utf8',
});
if (out.status !== 0) {
  process.stderr.write(`usermod: prisma generate failed: ${(out.stderr || out.stdout || String(out.error)).trim()}\n`);
  process.exit(1);
}
console.log('usermod: Prisma client generated in generated/prisma');
