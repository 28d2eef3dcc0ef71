import type {} from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { authenticateEmailpass, registerEmailpass, requestPasswordReset, resetPassword } from '../../client';
import { UsermodError, unauthorized } from '../../store/errors';
import { authGuards, SESSION_COOKIE, signAuthToken } from '../auth';
import { runOptions, type ApiContext } from '../context';
import { emailField, jsonSchema, passwordField, tokenField, validate } from '../validation';

const credentials = z.strictObject({ email: emailField, password: passwordField });
const resetRequest = z.strictObject({ identifier: emailField.min(1, { error: 'is required' }) });
const updateQuery = z.strictObject({ token: tokenField });
const updateBody = z.strictObject({ email: emailField.optional(), password: passwordField });

/** Medusa's auth routes for the `user` actor and the `emailpass` provider. */
export function authRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const guard = authGuards(ctx.store, ctx.jwtSecret);
  const token = (authIdentityId: string, userId: string | null) => signAuthToken({ authIdentityId, userId }, ctx.jwtSecret, ctx.jwtExpiresIn);
  // As Medusa: a provider's refusal (e-mail taken, weak password) is a 401 carrying its message.
  const asUnauthorized = (err: unknown) => {
    if (err instanceof UsermodError && err.type === 'invalid_data' && !err.message.startsWith('Invalid request')) throw unauthorized(err.message);
    throw err;
  };

  app.post('/auth/user/emailpass/register', { schema: { tags: ['auth'], summary: 'Register an emailpass login (not yet a user)', body: jsonSchema(credentials) } }, async (req) => {
    const body = validate(credentials, req.body);
    const { authIdentityId } = await registerEmailpass(ctx.usermod, body.email, body.password, runOptions(req)).catch(asUnauthorized);
    return { token: await token(authIdentityId, null) };
  });

  app.post('/auth/user/emailpass', { schema: { tags: ['auth'], summary: 'Log in', body: jsonSchema(credentials) } }, async (req) => {
    const body = validate(credentials, req.body);
    // A locked e-mail is refused before its password is even hashed; each failure lengthens the lock.
    ctx.limits?.checkLogin(body.email);
    const login = await authenticateEmailpass(ctx.store, body.email, body.password).catch((err) => {
      if (err instanceof UsermodError && err.type === 'unauthorized') ctx.limits?.loginFailed(body.email);
      return asUnauthorized(err);
    });
    ctx.limits?.loginSucceeded(body.email);
    return { token: await token(login.authIdentityId, login.userId) };
  });

  app.post('/auth/token/refresh', { preHandler: guard.unregistered, schema: { tags: ['auth'], summary: 'Re-issue the bearer from the current identity' } }, async (req) => {
    const identity = await ctx.store.retrieveAuthIdentity(req.auth!.auth_identity_id).catch(() => {
      throw unauthorized('Unauthorized');
    });
    return { token: await token(identity.id, identity.user_id) };
  });

  app.post('/auth/session', { preHandler: guard.unregistered, schema: { tags: ['auth'], summary: 'Turn the bearer into a cookie session' } }, async (req, reply) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer) throw unauthorized('Unauthorized');
    reply.setCookie(SESSION_COOKIE, bearer, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.protocol === 'https' });
    return { user: req.auth };
  });

  app.delete('/auth/session', { schema: { tags: ['auth'], summary: 'End the cookie session' } }, async (_req, reply) => {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { success: true };
  });

  app.post('/auth/user/emailpass/reset-password', { schema: { tags: ['auth'], summary: 'Mail a single-use reset link (always 201)', body: jsonSchema(resetRequest) } }, async (req, reply) => {
    const body = validate(resetRequest, req.body);
    // 201 once the flow has started, before it looks the e-mail up: the answer cannot tell whether the
    // e-mail has a login, not even by its timing. A malformed e-mail is 400, an unreachable Temporal 503.
    await requestPasswordReset(ctx.usermod, body.identifier, runOptions(req));
    return reply.code(201).send();
  });

  app.post('/auth/user/emailpass/update', { schema: { tags: ['auth'], summary: 'Set a new password with a reset token', querystring: jsonSchema(updateQuery), body: jsonSchema(updateBody) } }, async (req) => {
    const { token: resetToken } = validate(updateQuery, req.query);
    const body = validate(updateBody, req.body);
    await resetPassword(ctx.usermod, ctx.store, resetToken, body.password, runOptions(req)).catch(asUnauthorized);
    return { success: true };
  });
}
