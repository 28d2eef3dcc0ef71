// The admin HTTP API as a process of its own (stateless: run as many as you like behind a proxy).
import { connectClient, createUserAccount } from '../client';
import { loadConfig, type Config } from '../config';
import { logger } from '../infra/logger';
import { standaloneTargets } from '../infra/standalone';
import { createStore } from '../store';
import { createPrisma } from '../store/prisma';
import { ensureWebBuild } from '../infra/web-build';
import { buildApi } from './server';

export async function startApi(opts: { config: Config; databaseUrl: string; temporalAddress: string }) {
  const { config } = opts;
  const prisma = createPrisma(opts.databaseUrl);
  const usermod = await connectClient(config, opts.temporalAddress);
  const store = createStore(prisma);
  await ensureWebBuild((l) => logger.info(l));
  const app = await buildApi(
    {
      store,
      usermod,
      jwtSecret: config.jwtSecret,
      jwtExpiresIn: config.api.jwtExpiresIn,
      health: async () => ({
        database: await prisma.$queryRaw`SELECT 1`.then(() => true, () => false),
        temporal: await usermod.client.workflowService.getSystemInfo({}).then(() => true, () => false),
      }),
    },
    { logger: true, web: { temporalUiUrl: config.temporal.uiUrl, temporalNamespace: config.temporal.namespace, inviteAcceptUrl: config.invites.acceptUrl } },
  );
  await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: config.api.port });

  // ADMIN_EMAIL / ADMIN_PASSWORD: the first admin, created once (createUserAccountWorkflow).
  const { adminEmail, adminPassword } = config.api;
  if (adminEmail && adminPassword && !(await store.findEmailpassLogin(adminEmail))) {
    const { user } = await createUserAccount(usermod, { email: adminEmail, password: adminPassword });
    logger.info({ userId: user.id }, 'first admin created from ADMIN_EMAIL');
  }
  return {
    url: `http://localhost:${config.api.port}`,
    close: async () => {
      await app.close();
      await usermod.close();
      await prisma.$disconnect();
    },
  };
}

if (require.main === module) {
  const config = loadConfig();
  startApi({ config, ...standaloneTargets(config, 'the API') }).then(
    (api) => {
      const stop = () => void api.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (err) => {
      logger.error({ err }, 'api failed to start');
      process.exit(1);
    },
  );
}
