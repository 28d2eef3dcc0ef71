import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { logger } from '../infra/logger';
import type { ApiContext } from './context';
import { installErrorHandler } from './errors';
import { authRoutes } from './routes/auth';
import { inviteRoutes } from './routes/invites';
import { userRoutes } from './routes/users';
import { linkPreviewRoutes } from './routes/link-previews';
import { webApp, type WebAppOptions } from './web-app';

/** The admin HTTP API: Medusa-compatible routes, each mutating one starting its workflow. */
export async function buildApi(ctx: ApiContext, options: { logger?: boolean; web?: WebAppOptions } = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify(options.logger ? { loggerInstance: logger as FastifyBaseLogger } : { logger: false });
  // Requests are validated by the routes' zod schemas (Medusa's messages); the JSON schemas only document them.
  app.setValidatorCompiler(() => () => true);
  installErrorHandler(app);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: { title: 'usermod admin API', version: '0.1.0', description: "Medusa v2 compatible user, invite and auth routes; every mutation is a Temporal workflow. Mutating routes accept an 'Idempotency-Key' header." },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

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
  linkPreviewRoutes(app, ctx);
  await app.register(webApp, options.web ?? {});
  return app;
}
