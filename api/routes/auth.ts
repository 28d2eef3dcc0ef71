import { z } from 'zod';
import { authenticateEmailpass, checkResetToken, signSessionToken } from '../../auth';
import { registerEmailpass, requestPasswordReset, updateEmailpassPassword } from '../../client';
import { UsermodError, unauthorized } from '../../domain';
import { runOptions, type ApiContext } from '../context';
import { SESSION_COOKIE, authGuards } from '../guards';
import { routes } from '../route';
import { authContext, token } from '../schemas';
import type { FastifyInstance } from 'fastify';

const credentials = z.strictObject({ email: z.string(), password: z.string() });
const resetRequest = z.strictObject({ identifier: z.string().min(1) });
const updateQuery = z.strictObject({ token: z.string().min(1) });
const updateBody = z.strictObject({ email: z.string().optional(), password: z.string() });
const success = z.object({ success: z.literal(true) });

/** Medusa's auth routes for the `user` actor and the `emailpass` provider. */
export function authRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = routes(app, authGuards(ctx.store, ctx.jwtSecret), 'auth');
  const bearer = async (authIdentityId: string, userId: string | null) => ({
    token: await signSessionToken({ authIdentityId, userId }, ctx.jwtSecret, ctx.jwtExpiresIn),
  });
  // As Medusa: a provider's refusal (e-mail taken, weak password) is a 401 carrying its message.
  const asUnauthorized = (err: unknown) => {
    if (err instanceof UsermodError && err.type === 'invalid_data' && !err.message.startsWith('Invalid request'))
      throw unauthorized(err.message);
    throw err;
  };

  r.post(
    '/auth/user/emailpass/register',
    { summary: 'Register an emailpass login (not yet a user)', body: credentials, reply: token },
    async ({ body, req }) => {
      const { authIdentityId } = await registerEmailpass(ctx.usermod, body.email, body.password, runOptions(req)).catch(
        asUnauthorized,
      );
      return bearer(authIdentityId, null);
    },
  );

  r.post(
    '/auth/user/emailpass',
    { summary: 'Log in', body: credentials, reply: token, errors: ['unauthorized'] },
    async ({ body }) => {
      const login = await authenticateEmailpass(ctx.store, body.email, body.password).catch(asUnauthorized);
      return bearer(login.authIdentityId, login.userId);
    },
  );

  r.post(
    '/auth/token/refresh',
    { summary: 'Re-issue the bearer from the current identity', guard: 'unregistered', reply: token },
    async ({ req }) => {
      const identity = await ctx.store.retrieveAuthIdentity(req.auth!.auth_identity_id).catch(() => {
        throw unauthorized('Unauthorized');
      });
      return bearer(identity.id, identity.user_id);
    },
  );

  r.post(
    '/auth/session',
    { summary: 'Turn the bearer into a cookie session', guard: 'unregistered', reply: z.object({ user: authContext }) },
    async ({ req, reply }) => {
      const given = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!given) throw unauthorized('Unauthorized');
      reply.setCookie(SESSION_COOKIE, given, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: req.protocol === 'https',
      });
      return { user: req.auth };
    },
  );

  r.delete('/auth/session', { summary: 'End the cookie session', reply: success }, async ({ reply }) => {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { success: true };
  });

  const resetSpec = { summary: 'Mail a single-use reset link (always 201)', body: resetRequest, status: 201 };
  r.post('/auth/user/emailpass/reset-password', resetSpec, async ({ body, req, reply }) => {
    // Always 201, whatever happened: the answer must not tell whether the e-mail has a login.
    await requestPasswordReset(ctx.usermod, body.identifier, runOptions(req)).catch((err: Error) =>
      req.log.warn({ err: { message: err.message } }, 'password reset request failed'),
    );
    return reply.code(201).send();
  });

  const updateSpec = {
    summary: 'Set a new password with a reset token',
    query: updateQuery,
    body: updateBody,
    reply: success,
    errors: ['unauthorized' as const],
  };
  r.post('/auth/user/emailpass/update', updateSpec, async ({ query, body, req }) => {
    const email = await checkResetToken(ctx.store, query.token, ctx.jwtSecret);
    await updateEmailpassPassword(ctx.usermod, email, body.password, runOptions(req)).catch(asUnauthorized);
    return { success: true };
  });
}
