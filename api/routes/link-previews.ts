import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { hashToken } from '../../auth/invite-token';
import { TokenRefused, verifyToken, type TokenKind } from '../../auth/jwt';
import { passwordFingerprint } from '../../auth/reset-token';
import { UsermodError } from '../../domain';
import type { ApiContext } from '../context';
import { authGuards } from '../guards';
import { routes } from '../route';

const tokenQuery = z.strictObject({ token: z.string().min(1) });

export type InviteLinkProblem = 'invalid' | 'expired' | 'revoked' | 'superseded' | 'accepted';
export type ResetLinkProblem = 'invalid' | 'expired' | 'used';

const INVITE_PROBLEMS: Record<InviteLinkProblem, string> = {
  invalid: 'This invite link is not valid',
  expired: 'The invite has expired',
  revoked: 'The invite has been revoked',
  superseded: 'The invite token is no longer valid: a newer one was sent',
  accepted: 'The invite has already been accepted',
};
const RESET_PROBLEMS: Record<ResetLinkProblem, string> = {
  invalid: 'This password reset link is not valid',
  expired: 'This password reset link has expired',
  used: 'This password reset link has already been used',
};

const refuse = (reply: FastifyReply, reason: string, message: string) =>
  reply.code(401).send({ type: 'unauthorized', message, reason });

/**
 * What the page a mailed link opens may learn before it asks for anything: whose the link is and until
 * when, or why it cannot be used. Only a token signed with JWT_SECRET gets past "invalid", so nobody
 * without a real link learns anything; the reason (expired, revoked, superseded, accepted) is told only to
 * the holder of a genuine link, who is the invitee.
 */
export function linkPreviewRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = routes(app, authGuards(ctx.sessions!), 'auth');

  /** The token's claims if it is ours and of this kind; 'expired' only for our own tokens (the signature is checked first). */
  async function claims(kind: TokenKind, token: string): Promise<Record<string, unknown> | 'invalid' | 'expired'> {
    try {
      return await verifyToken(kind, token, ctx.jwtSecret);
    } catch (err) {
      if (err instanceof TokenRefused) return err.reason;
      throw err;
    }
  }

  r.get(
    '/auth/invite',
    {
      summary: 'The invite a link is for ({email, expires_at, has_login}), or 401 with the reason it cannot be used',
      query: tokenQuery,
      errors: ['unauthorized'],
    },
    async ({ query, reply }) => {
      const { token } = query;
      const c = await claims('invite', token);
      if (typeof c === 'string') return refuse(reply, c, INVITE_PROBLEMS[c]);
      if (typeof c.id !== 'string' || typeof c.jti !== 'string')
        return refuse(reply, 'invalid', INVITE_PROBLEMS.invalid);
      try {
        // The same check an accept makes: live, not accepted, and this token the invite's current one.
        const invite = await ctx.store.validateInviteToken(c.id, hashToken(token));
        const login = await ctx.store.findEmailpassLogin(invite.email);
        // has_login: the invitee already registered (Medusa's two-step flow) and accepts with that password.
        return { email: invite.email, expires_at: invite.expires_at, has_login: Boolean(login && !login.userId) };
      } catch (err) {
        if (!(err instanceof UsermodError)) throw err;
        const invite = await ctx.store.retrieveInvite(c.id, { withDeleted: true }).catch(() => undefined);
        // Refused although the token is unexpired and the invite still pending: only a newer token explains it.
        const reason: InviteLinkProblem = !invite
          ? 'invalid'
          : invite.status === 'pending'
            ? 'superseded'
            : invite.status;
        return refuse(reply, reason, INVITE_PROBLEMS[reason]);
      }
    },
  );

  r.get(
    '/auth/reset-password',
    {
      summary: 'The login a reset link is for ({email, expires_at}), or 401 with the reason it cannot be used',
      query: tokenQuery,
      errors: ['unauthorized'],
    },
    async ({ query, reply }) => {
      const { token } = query;
      const c = await claims('reset', token);
      if (typeof c === 'string') return refuse(reply, c, RESET_PROBLEMS[c]);
      if (typeof c.entity_id !== 'string' || typeof c.pwf !== 'string' || typeof c.exp !== 'number')
        return refuse(reply, 'invalid', RESET_PROBLEMS.invalid);
      const login = await ctx.store.findEmailpassLogin(c.entity_id);
      if (!login?.passwordHash) return refuse(reply, 'invalid', RESET_PROBLEMS.invalid);
      // The token names the password it replaces: once that has changed, the link has done its work.
      if (passwordFingerprint(login.passwordHash) !== c.pwf) return refuse(reply, 'used', RESET_PROBLEMS.used);
      return { email: c.entity_id, expires_at: new Date(c.exp * 1000).toISOString() };
    },
  );
}
