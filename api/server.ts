import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { logger } from '../infra/logger';
import type { ApiContext } from './context';
import { installErrorHandler } from './errors';
import { metricsRoutes } from './metrics';
import { drainable } from './drain';
import { sessions } from './sessions';
import { DEFAULT_HARDENING, hardenedServerOptions, installHardening, type HardeningSettings } from './hardening';
import { authRoutes } from './routes/auth';
import { inviteRoutes } from './routes/invites';
import { userRoutes } from './routes/users';
import { linkPreviewRoutes } from './routes/link-previews';
import { webhookRoutes } from './routes/webhooks';
import { rbacRoutes } from './routes/rbac';
import { apiKeyRoutes } from './routes/api-keys';
import { webApp, type WebAppOptions } from './web-app';

const isZodPart = (part: unknown): boolean =>
  part instanceof z.ZodType ||
  (typeof part === 'object' && part !== null && Object.values(part).some((p) => p instanceof z.ZodType));

/** The admin HTTP API: Medusa-compatible routes, each mutating one starting its workflow. */
export async function buildApi(
  ctx: ApiContext,
  options: { logger?: boolean | FastifyBaseLogger; hardening?: HardeningSettings; web?: WebAppOptions } = {},
): Promise<FastifyInstance> {
  const hardening = options.hardening ?? DEFAULT_HARDENING;
  const loggerInstance = options.logger === true ? (logger as FastifyBaseLogger) : options.logger || undefined;
  const app: FastifyInstance = Fastify({
    ...(loggerInstance ? { loggerInstance } : { logger: false }),
    ...hardenedServerOptions(hardening),
  });
  // Route schemas are zod (api/route.ts): the route helper validates with them, after the guard and
  // with Medusa's messages, and @fastify/swagger turns them into OpenAPI. Fastify itself neither
  // validates nor serializes with them: answers are sent as the handlers return them.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  installErrorHandler(app);
  drainable(app);
  ctx.limits = await installHardening(app, hardening);
  ctx.sessions = sessions(ctx.store, ctx.jwtSecret, ctx.jwtExpiresIn);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'usermod admin API',
        version: '0.1.0',
        description:
          "Medusa v2 compatible user, invite and auth routes; every mutation is a Temporal workflow. Mutating routes accept an 'Idempotency-Key' header.",
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          // Secret API keys (sk_…) on admin routes: `Authorization: Basic sk_…` or base64("sk_…:").
          apiKey: { type: 'http', scheme: 'basic' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
    // Zod route schemas (every route made with api/route.ts) become JSON Schema; a route declared with
    // plain JSON Schema, or none, is documented as it is.
    transform: (doc) =>
      Object.values(doc.schema ?? {}).some(isZodPart) ? jsonSchemaTransform(doc) : { schema: doc.schema, url: doc.url },
  });
  if (hardening.docs) await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  // Readiness: every part of ctx.health() reported, 503 until all are true.
  const report = z.object({ status: z.enum(['ok', 'unavailable']) }).catchall(z.boolean());
  const ready = {
    tags: ['health'],
    summary:
      'Readiness: 200 once the database and Temporal answer, a worker polls and the seeded admin exists; each part reported',
    security: [],
    response: { 200: report, 503: report },
  };
  app.get('/health', { schema: ready }, async (_req, reply) => {
    const h = await ctx.health();
    const ok = Object.values(h).every(Boolean);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', ...h });
  });
  const live = {
    tags: ['health'],
    summary: 'Liveness: 200 while the process serves requests',
    security: [],
    response: { 200: z.object({ status: z.literal('ok') }) },
  };
  app.get('/health/live', { schema: live }, async () => ({ status: 'ok' }));
  metricsRoutes(app);
  authRoutes(app, ctx);
  inviteRoutes(app, ctx);
  userRoutes(app, ctx);
  linkPreviewRoutes(app, ctx);
  webhookRoutes(app, ctx);
  rbacRoutes(app, ctx);
  apiKeyRoutes(app, ctx);
  await app.register(webApp, options.web ?? {});
  return app;
}
