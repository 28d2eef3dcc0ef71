import type {} from '@fastify/swagger';
import type { FastifyRequest } from 'fastify';
import type { UsermodClient, RunOptions } from '../client';
import { IDEMPOTENCY_KEY_PATTERN } from '../client/idempotency';
import { invalidData } from '../domain';
import type { Store } from '../store';
import type { Limits } from './limits';
import type { Sessions } from './sessions';

/** What every route handler gets: the read store, the workflow client and the API's settings. */
export interface ApiContext {
  store: Store;
  usermod: UsermodClient;
  jwtSecret: string;
  jwtExpiresIn: string;
  /** Readiness of each part (database, Temporal, a polling worker, the seeded admin), for GET /health. */
  health(): Promise<Record<string, boolean>>;
  /** Set by buildApi: the login lockout the login route reports to. */
  limits?: Limits;
  /** Set by buildApi: server-side sessions (api/sessions.ts). */
  sessions?: Sessions;
  /** The installation's webhook key (base64, 32 bytes): encrypts the webhooks' signing secrets. */
  webhookKey?: string;
}

const field = (v: unknown, name: string) => {
  const x = (v as Record<string, unknown> | null | undefined)?.[name];
  return typeof x === 'string' && x !== '' ? x : undefined;
};

/**
 * Who a key belongs to on the routes that take no bearer: something only that caller has. An invite or
 * reset token proves a mailbox; register and reset requests are about one e-mail (and register's
 * fingerprint holds the password, so another caller with the same e-mail and key gets a 422).
 */
const UNAUTHENTICATED_SCOPE: Record<string, (req: FastifyRequest) => string | undefined> = {
  'POST /auth/user/emailpass/register': (req) => field(req.body, 'email')?.trim().toLowerCase(),
  'POST /auth/user/emailpass/reset-password': (req) => field(req.body, 'identifier')?.trim().toLowerCase(),
  'POST /auth/user/emailpass/update': (req) => field(req.query, 'token'),
  'POST /admin/invites/accept': (req) => field(req.query, 'token'),
};

/**
 * `Idempotency-Key` → run options: the key, its scope (this route and this caller) and the request it
 * was sent with. The client turns them into one workflow per caller, route and key (client/idempotency.ts).
 */
export function runOptions(req: FastifyRequest): RunOptions {
  const key = req.headers['idempotency-key'];
  if (key === undefined || key === '') return {};
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw invalidData('Invalid request: Idempotency-Key must be 1-200 characters of letters, digits, . _ : -');
  }
  const route = `${req.method} ${req.routeOptions.url}`;
  // An API key is its own caller: never the scope of a user's login, nor of another key.
  const caller = req.apiKey
    ? `api_key:${req.apiKey.id}`
    : req.auth
      ? `identity:${req.auth.auth_identity_id}`
      : UNAUTHENTICATED_SCOPE[route]?.(req);
  if (!caller) throw invalidData('Invalid request: Idempotency-Key is accepted on this route only with a bearer token');
  return {
    idempotencyKey: key,
    idempotencyScope: `${route}|${caller}`,
    request: { params: req.params, query: req.query, body: req.body },
  };
}
