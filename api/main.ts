// The admin HTTP API as a process of its own (stateless: run as many as you like behind a proxy).
import { assignUserRoles, connectClient, createUserAccount } from '../client';
import { SUPER_ADMIN_ROLE_ID } from '../domain';
import { loadConfig, type Config } from '../config';
import { logger } from '../infra/logger';
import { failStartup, standaloneTargets } from '../infra/standalone';
import { StartupError } from '../infra/startup-error';
import { readiness } from './health';
import { createStore } from '../store';
import { createPrisma } from '../store/prisma';
import { ensureWebBuild } from '../infra/web-build';
import { buildApi } from './server';
import { watchCompensations } from '../metrics';

export async function startApi(opts: { config: Config; databaseUrl: string; temporalAddress: string }) {
  const { config } = opts;
  const prisma = createPrisma(opts.databaseUrl);
  const usermod = await connectClient(config, opts.temporalAddress);
  const store = createStore(prisma);
  // RBAC: declared policies and the Super Admin role (*:*) exist after every start.
  await store.syncRbac();
  watchCompensations(usermod.client);
  await ensureWebBuild((l) => logger.info(l));
  const health = readiness({
    ping: () => prisma.$queryRaw`SELECT 1`,
    store,
    usermod,
    namespace: config.temporal.namespace,
    adminEmail: config.api.adminPassword ? config.api.adminEmail : undefined,
  });
  const app = await buildApi(
    {
      store,
      usermod,
      jwtSecret: config.jwtSecret,
      jwtExpiresIn: config.api.jwtExpiresIn,
      health,
      webhookKey: config.webhooks.key,
    },
    {
      logger: true,
      hardening: config.api.hardening,
      web: {
        temporalUiUrl: config.temporal.uiUrl,
        temporalNamespace: config.temporal.namespace,
        inviteAcceptUrl: config.invites.acceptUrl,
      },
    },
  );
  try {
    await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: config.api.port });
  } catch (err) {
    await app.close();
    await usermod.close();
    await prisma.$disconnect();
    const code = (err as NodeJS.ErrnoException).code;
    throw new StartupError(
      'admin API',
      code === 'EADDRINUSE' ? `port ${config.api.port} is already in use (PORT)` : (err as Error).message,
    );
  }

  return {
    url: `http://localhost:${config.api.port}`,
    health,
    /** ADMIN_EMAIL / ADMIN_PASSWORD: the first admin, created once (createUserAccountWorkflow; needs a worker). */
    seedAdmin: async () => {
      const { adminEmail, adminPassword } = config.api;
      if (!adminEmail || !adminPassword || (await store.findEmailpassLogin(adminEmail))) return;
      const { user } = await createUserAccount(usermod, { email: adminEmail, password: adminPassword }).catch(
        (err: Error) => {
          throw new StartupError('first admin', `${err.message} (ADMIN_EMAIL / ADMIN_PASSWORD)`);
        },
      );
      // The first admin holds Super Admin (granted by the system: no grantor).
      await assignUserRoles(usermod, { userId: user.id, roleIds: [SUPER_ADMIN_ROLE_ID] });
      logger.info({ userId: user.id }, 'first admin created from ADMIN_EMAIL');
    },
    /** Drain (in-flight requests finish, new ones get 503 + Retry-After), then stop. */
    close: async () => {
      await app.drain();
      await app.close();
      await usermod.close();
      await prisma.$disconnect();
    },
  };
}

if (require.main === module) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    failStartup('the API', err);
  }
  startApi({ config, ...standaloneTargets(config, 'the API') }).then(
    async (api) => {
      await api.seedAdmin();
      const stop = () => void api.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (err) => failStartup('the API', err),
  );
}
