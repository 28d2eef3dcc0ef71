import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from './context';
import { installErrorHandler } from './errors';
import { authRoutes } from './routes/auth';
import { inviteRoutes } from './routes/invites';
import { userRoutes } from './routes/users';

/** The admin HTTP API: Medusa-compatible routes, each mutating one starting its workflow. */
export async function buildApi(ctx: ApiContext, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: process.env.LOG_LEVEL ?? 'info', redact: ['req.headers.authorization', 'req.headers.cookie'] } : false,
  });
  // Route schemas are zod (api/route.ts): the route helper validates with them, after the guard and
  // with Medusa's messages, and @fastify/swagger turns them into OpenAPI. Fastify itself neither
  // validates nor serializes with them: answers are sent as the handlers return them.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  installErrorHandler(app);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: { title: 'usermod admin API', version: '0.1.0', description: "Medusa v2 compatible user, invite and auth routes; every mutation is a Temporal workflow. Mutating routes accept an 'Idempotency-Key' header." },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const health = z.object({ status: z.enum(['ok', 'unavailable']), database: z.boolean(), temporal: z.boolean() });
  const healthDoc = { tags: ['health'], summary: '200 once the database and Temporal are reachable', security: [], response: { 200: health, 503: health } };
  app.get('/health', { schema: healthDoc }, async (_req, reply) => {
    const h = await ctx.health();
    return reply.code(h.database && h.temporal ? 200 : 503).send({ status: h.database && h.temporal ? 'ok' : 'unavailable', ...h });
  });
  authRoutes(app, ctx);
  inviteRoutes(app, ctx);
  userRoutes(app, ctx);
  return app;
}
