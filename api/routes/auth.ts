import { z } from 'zod';
import { authenticateEmailpass, checkResetToken } from '../../auth';
import { registerEmailpass, requestPasswordReset, updateEmailpassPassword } from '../../client';
import { UsermodError, unauthorized } from '../../domain';
import { runOptions, type ApiContext } from '../context';
import { SESSION_COOKIE, authGuards } from '../guards';
import { routes } from '../route';
import { authContext, token } from '../schemas';
import { presentedToken } from '../sessions';
import { emailField, passwordField, tokenField } from '../validation';
import type { FastifyInstance } from 'fastify';

const credentials = z.strictObject({ email: emailField, password: passwordField });
const resetRequest = z.strictObject({ identifier: emailField.min(1, { error: 'is required' }) });
const updateQuery = z.strictObject({ token: tokenField });
const updateBody = z.strictObject({ email: emailField.optional(), password: passwordField });
const success = z.object({ success: z.literal(true) });

/** Medusa's auth routes for the `user` actor and the `emailpass` provider. */
export function authRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const sessions = ctx.sessions!;
  const r = routes(app, authGuards(sessions), 'auth');
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
      return { token: await sessions.issue(authIdentityId, null) };
    },
  );

  r.post(
    '/auth/user/emailpass',
    { summary: 'Log in', body: credentials, reply: token, errors: ['unauthorized'] },
    async ({ body }) => {
      // A locked e-mail is refused before its password is even hashed; each failure lengthens the lock.
      ctx.limits?.checkLogin(body.email);
      const login = await authenticateEmailpass(ctx.store, body.email, body.password).catch((err: unknown) => {
        if (err instanceof UsermodError && err.type === 'unauthorized') ctx.limits?.loginFailed(body.email);
        return asUnauthorized(err);
      });
      ctx.limits?.loginSucceeded(body.email);
      return { token: await sessions.issue(login.authIdentityId, login.userId) };
    },
  );

  r.post(
    '/auth/token/refresh',
    { summary: 'A new bearer for the same session, naming its user as it is now', guard: 'unregistered', reply: token },
    async ({ req }) => ({ token: await sessions.refresh(req.session!) }),
  );

  r.post(
    '/auth/session',
    {
      summary: 'Turn the bearer into a cookie of the same session',
      guard: 'unregistered',
      reply: z.object({ user: authContext }),
    },
    async ({ req, reply }) => {
      const given = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!given) throw unauthorized('Unauthorized');
      reply.setCookie(SESSION_COOKIE, given, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        // Behind a TLS-terminating proxy the protocol is X-Forwarded-Proto's, when TRUST_PROXY trusts it.
        secure: req.protocol === 'https',
      });
      return { user: req.auth };
    },
  );

  r.delete(
    '/auth/session',
    { summary: 'Log out: the session ends server-side (its bearer and cookie stop working)', reply: success },
    async ({ req, reply }) => {
      // Whatever is presented: a session that still works is ended; one that does not needs nothing.
      const given = presentedToken(req);
      const session = given ? await sessions.check(given).catch(() => undefined) : undefined;
      if (session) await sessions.end(session);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { success: true };
    },
  );

  const resetSpec = {
    summary: 'Mail a single-use reset link (201 before any lookup, whether or not the e-mail has a login)',
    body: resetRequest,
    status: 201,
  };
  r.post('/auth/user/emailpass/reset-password', resetSpec, async ({ body, req, reply }) => {
    // 201 once the flow has started, before it looks the e-mail up: the answer cannot tell whether the
    // e-mail has a login, not even by its timing. A malformed e-mail is 400, an unreachable Temporal 503.
    await requestPasswordReset(ctx.usermod, body.identifier, runOptions(req));
    return reply.code(201).send();
  });

  const updateSpec = {
    summary: 'Set a new password with a reset token (every earlier session of the login ends)',
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
