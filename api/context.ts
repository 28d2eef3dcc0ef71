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
  /** Reachability of the database and of Temporal, for GET /health. */
  health(): Promise<{ database: boolean; temporal: boolean }>;
}

/** `Idempotency-Key` → the workflow id: a retried request joins (or returns) the first run. */
export function runOptions(req: FastifyRequest): RunOptions {
  const key = req.headers['idempotency-key'];
  return typeof key === 'string' && key !== '' ? { idempotencyKey: key } : {};
}
