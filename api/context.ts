import type {} from '@fastify/swagger';
import type { FastifyRequest } from 'fastify';
import type { UsermodClient, RunOptions } from '../client';
import type { Store } from '../store';

/** What every route handler gets: the read store, the workflow client and the API's settings. */
export interface ApiContext {
  store: Store;
  usermod: UsermodClient;
  jwtSecret: string;
  jwtExpiresIn: string;
  /** Readiness of each part (database, Temporal, a polling worker, the seeded admin), for GET /health. */
  health(): Promise<Record<string, boolean>>;
}

/** `Idempotency-Key` → the workflow id: a retried request joins (or returns) the first run. */
export function runOptions(req: FastifyRequest): RunOptions {
  const key = req.headers['idempotency-key'];
  return typeof key === 'string' && key !== '' ? { idempotencyKey: key } : {};
}
