import cookie from '@fastify/cookie';
import type { FastifyPluginAsync } from 'fastify';
import type { AuthContext } from '../auth';
import type { ApiContext } from './context';
import { installErrorHandler } from './errors';
import type { AuthHook } from './guards';
import { authRoutes } from './routes/auth';
import { inviteRoutes } from './routes/invites';
import { userRoutes } from './routes/users';
import { webhookRoutes } from './routes/webhooks';
import { sessions } from './sessions';
import type { UsermodService } from '../service';
import { partsOf } from '../service/parts';

export type { AuthContext, AuthHook };

export interface UsermodAdminPluginOptions {
  /** The service the routes run on (createUsermodService); or, inside usermod, `context`. */
  service?: UsermodService;
  /** Lifetime of the bearer tokens the /auth routes issue; default `1d`. */
  jwtExpiresIn?: string;
  /** The installation's webhook key (USERMOD_WEBHOOK_KEY) for POST /admin/webhooks. */
  webhookKey?: string;
  /** The store, the usermod client and the token settings the routes use (ApiContext). */
  context?: Omit<ApiContext, 'health' | 'sessions' | 'limits'> & Partial<Pick<ApiContext, 'health'>>;
  /**
   * Replaces usermod's own sessions: return who makes the request (a user's AuthContext), or undefined
   * for a 401. Default: usermod's bearer tokens and session cookie (the /auth routes log in).
   */
  authenticate?: AuthHook;
  /** Also mount /auth/* (login, register, reset); default true. */
  authRoutes?: boolean;
}

/**
 * The admin API as a fastify plugin, for an application's own server:
 * `app.register(usermodAdminPlugin, { prefix: '/usermod', context, authenticate })`. Routes, validation,
 * error answers (`{ type, message }`) and the flows they start are usermod's; its encapsulated context
 * keeps its error handler from touching the application's routes.
 */
export const usermodAdminPlugin: FastifyPluginAsync<UsermodAdminPluginOptions> = async (app, options) => {
  const ctx: ApiContext = { health: async () => ({}), ...contextOf(options) };
  ctx.sessions = Object.assign(sessions(ctx.store, ctx.jwtSecret, ctx.jwtExpiresIn), {
    authenticate: options.authenticate,
  });
  installErrorHandler(app);
  // Route schemas are zod, validated by the route helper (api/route.ts), as in api/server.ts.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  if (!app.hasRequestDecorator('cookies')) await app.register(cookie);
  if (options.authRoutes ?? true) authRoutes(app, ctx);
  inviteRoutes(app, ctx);
  userRoutes(app, ctx);
  webhookRoutes(app, ctx);
};

function contextOf(o: UsermodAdminPluginOptions): Omit<ApiContext, 'health'> {
  if (o.context) return o.context;
  if (!o.service) throw new TypeError('usermodAdminPlugin needs a service (createUsermodService())');
  const { usermod, store } = partsOf(o.service);
  return {
    usermod,
    store,
    jwtSecret: usermod.jwtSecret,
    jwtExpiresIn: o.jwtExpiresIn ?? '1d',
    webhookKey: o.webhookKey,
  };
}
