import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { logger } from '../infra/logger';
import type { ApiContext } from './context';
import { installErrorHandler } from './errors';
import { DEFAULT_HARDENING, hardenedServerOptions, installHardening, type HardeningSettings } from './hardening';
import { authRoutes } from './routes/auth';
import { inviteRoutes } from './routes/invites';
import { userRoutes } from './routes/users';

/** The admin HTTP API: Medusa-compatible routes, each mutating one starting its workflow. */
export async function buildApi(
  ctx: ApiContext,
  options: { logger?: boolean | FastifyBaseLogger; hardening?: HardeningSettings } = {},
): Promise<FastifyInstance> {
  const hardening = options.hardening ?? DEFAULT_HARDENING;
  const loggerInstance = options.logger === true ? (logger as FastifyBaseLogger) : options.logger || undefined;
  const app: FastifyInstance = Fastify({ ...(loggerInstance ? { loggerInstance } : { logger: false }), ...hardenedServerOptions(hardening) });
  // Requests are validated by the routes' zod schemas (Medusa's messages); the JSON schemas only document them.
  app.setValidatorCompiler(() => () => true);
  installErrorHandler(app);
  ctx.limits = await installHardening(app, hardening);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: { title: 'usermod admin API', version: '0.1.0', description: "Medusa v2 compatible user, invite and auth routes; every mutation is a Temporal workflow. Mutating routes accept an 'Idempotency-Key' header." },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });
  if (hardening.docs) await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  app.get(
    '/health',
    { schema: { tags: ['health'], summary: 'Readiness: 200 once the database and Temporal answer, a worker polls and the seeded admin exists; each part reported' } },
    async (_req, reply) => {
      const h = await ctx.health();
      const ready = Object.values(h).every(Boolean);
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', ...h });
    },
  );
  app.get('/health/live', { schema: { tags: ['health'], summary: 'Liveness: 200 while the process serves requests' } }, async () => ({ status: 'ok' }));
  authRoutes(app, ctx);
  inviteRoutes(app, ctx);
  userRoutes(app, ctx);
  return app;
}
