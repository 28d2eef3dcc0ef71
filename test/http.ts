import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { readiness } from '../api/health';
import type { ApiContext } from '../api/context';
import { DEFAULT_HARDENING, type HardeningSettings } from '../api/hardening';
import { buildApi } from '../api/server';
import type { UsermodClient } from '../client';
import { freePort } from '../devstack/free-port';
import { testInviteTokens, type Harness } from './harness';

export type Res = { status: number; body: any; headers: Headers; ms: number };

/** Limits high enough that a test file's own traffic never meets them (the limits test sets its own). */
export const RELAXED: HardeningSettings = {
  ...DEFAULT_HARDENING,
  limits: { ...DEFAULT_HARDENING.limits, perIp: 100_000, perIdentifier: 100_000, loginFailures: 1000 },
};

export interface TestApi {
  app: FastifyInstance;
  base: string;
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: boolean },
  ): Promise<Res>;
  close(): Promise<void>;
}

/** The admin API on a free port, over the file's harness (its store and worker), as a client sees it. */
export async function startTestApi(
  h: Harness,
  usermod: UsermodClient,
  opts: { hardening?: HardeningSettings; logger?: FastifyBaseLogger; context?: Partial<ApiContext> } = {},
): Promise<TestApi> {
  const app = await buildApi(
    {
      store: h.store,
      usermod,
      jwtSecret: testInviteTokens.secret,
      jwtExpiresIn: '1h',
      health: readiness({ ping: () => h.prisma.$queryRaw`SELECT 1`, store: h.store, usermod, namespace: 'default' }),
      ...opts.context,
    },
    { hardening: opts.hardening ?? RELAXED, logger: opts.logger },
  );
  const port = await freePort();
  await app.listen({ host: '127.0.0.1', port });
  const base = `http://127.0.0.1:${port}`;
  return {
    app,
    base,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      const body =
        o.body === undefined
          ? undefined
          : o.raw || typeof o.body === 'string'
            ? String(o.body)
            : JSON.stringify(o.body);
      if (body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/json';
      const started = Date.now();
      const res = await fetch(`${base}${path}`, { method, headers, body });
      const text = await res.text();
      const json = text && res.headers.get('content-type')?.includes('json');
      return {
        status: res.status,
        body: json ? JSON.parse(text) : text || undefined,
        headers: res.headers,
        ms: Date.now() - started,
      };
    },
    close: () => app.close(),
  };
}
