import { defineConfig } from 'prisma/config';

// No datasource url here: Prisma 7's env() throws when DATABASE_URL is unset, even for `generate`,
// and usermod resolves its database at run time (DATABASE_URL or the embedded PostgreSQL).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
