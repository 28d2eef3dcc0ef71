import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { LimitSettings } from '../config/security';
import { DEFAULT_LIMITS } from '../config/security';
import { tooManyRequests } from './retry-later';

// Limits on guessing (README "Security"). Per API process and in memory (@fastify/rate-limit's LRU
// store): behind a load balancer with N instances an attacker gets N times the budget, which still
// turns millions of guesses into hundreds.
export { DEFAULT_LIMITS, type LimitSettings } from '../config/security';

/** The routes that are limited, and what identifies the target of each request. */
export type LimitedRoute = 'login' | 'register' | 'reset' | 'resetUpdate' | 'accept' | 'resend';

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
const hashed = (v: string | undefined) =>
  v === undefined ? undefined : createHash('sha256').update(v).digest('base64url').slice(0, 22);
const email = (v: unknown) => hashed(text(v)?.trim().toLowerCase());

// Keys are hashed: the limiter's memory holds no e-mail address and no token.
const IDENTIFIER: Record<LimitedRoute, (req: FastifyRequest) => string | undefined> = {
  login: (req) => email((req.body as Record<string, unknown> | null)?.email),
  register: (req) => email((req.body as Record<string, unknown> | null)?.email),
  reset: (req) => email((req.body as Record<string, unknown> | null)?.identifier),
  resetUpdate: (req) => hashed(text((req.query as Record<string, unknown> | null)?.token)),
  accept: (req) => hashed(text((req.query as Record<string, unknown> | null)?.token)),
  resend: (req) => text((req.params as Record<string, unknown> | null)?.id),
};

type Checker = ReturnType<FastifyInstance['createRateLimit']>;

/** Growing lockout of one login identifier after repeated failures; cleared by a success. */
class LoginLockout {
  private readonly failures = new Map<string, { count: number; lockedUntil: number; last: number }>();
  constructor(private readonly s: LimitSettings) {}

  /** Seconds until this identifier may try again, or 0. */
  lockedFor(id: string): number {
    const f = this.failures.get(id);
    return f ? Math.max(0, Math.ceil((f.lockedUntil - Date.now()) / 1000)) : 0;
  }

  failed(id: string): void {
    const now = Date.now();
    const prev = this.failures.get(id);
    // Failures older than the longest lock are forgotten: an honest typo a day later starts afresh.
    const count = prev && now - prev.last < this.s.lockoutMaxSeconds * 1000 ? prev.count + 1 : 1;
    const over = count - this.s.loginFailures;
    const lock = over >= 0 ? Math.min(this.s.lockoutSeconds * 2 ** over, this.s.lockoutMaxSeconds) * 1000 : 0;
    this.failures.delete(id); // re-inserted last: the Map's order is the eviction order
    this.failures.set(id, { count, lockedUntil: now + lock, last: now });
    if (this.failures.size > 50_000) this.failures.delete(this.failures.keys().next().value!);
  }

  succeeded(id: string): void {
    this.failures.delete(id);
  }
}

export interface Limits {
  /** preHandler of a limited route: by IP, then by identifier; 429 with Retry-After when over. */
  guard(route: LimitedRoute): (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** Login only: refuse while the e-mail is locked (before any password is checked). */
  checkLogin(emailAddress: string): void;
  loginFailed(emailAddress: string): void;
  loginSucceeded(emailAddress: string): void;
}

export async function installLimits(app: FastifyInstance, settings: LimitSettings = DEFAULT_LIMITS): Promise<Limits> {
  await app.register(rateLimit, { global: false });
  const timeWindow = settings.windowSeconds * 1000;
  const checkers = new Map<string, Checker>();
  // One counter store per route and kind, so a flood of resets does not use up the logins' budget.
  const checker = (route: LimitedRoute, kind: 'ip' | 'id') => {
    const name = `${route}:${kind}`;
    if (!checkers.has(name)) {
      const keyGenerator =
        kind === 'ip' ? (req: FastifyRequest) => req.ip : (req: FastifyRequest) => IDENTIFIER[route](req) ?? '-';
      checkers.set(
        name,
        app.createRateLimit({ max: kind === 'ip' ? settings.perIp : settings.perIdentifier, timeWindow, keyGenerator }),
      );
    }
    return checkers.get(name)!;
  };
  const lockout = new LoginLockout(settings);
  const lockKey = (e: string) => email(e)!;

  return {
    guard(route) {
      const byIp = checker(route, 'ip');
      const byId = checker(route, 'id');
      return async (req) => {
        for (const check of [byIp, byId]) {
          if (check === byId && IDENTIFIER[route](req) === undefined) continue;
          const r = await check(req);
          if (!r.isAllowed && r.isExceeded) throw tooManyRequests(Math.max(1, r.ttlInSeconds), 'requests');
        }
      };
    },
    checkLogin(e) {
      const wait = lockout.lockedFor(lockKey(e));
      if (wait > 0) throw tooManyRequests(wait, 'failed logins for this e-mail');
    },
    loginFailed: (e) => lockout.failed(lockKey(e)),
    loginSucceeded: (e) => lockout.succeeded(lockKey(e)),
  };
}
