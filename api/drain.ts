import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Stop taking requests: from now on each gets 503 with `Retry-After` (a load balancer or client
     * retries elsewhere or later); resolves once the requests in flight have been answered, or after
     * `timeoutMs`. Then `close()` the app.
     */
    drain(timeoutMs?: number): Promise<void>;
  }
}

const counted = new WeakSet<FastifyRequest>();

/** SIGTERM drains the API: requests in flight finish (their flows too), new ones are told to retry. */
export function drainable(app: FastifyInstance, retryAfterSeconds = 5): void {
  let inFlight = 0;
  let draining = false;
  let idle: (() => void) | undefined;
  const done = (req: FastifyRequest) => {
    if (!counted.delete(req)) return;
    inFlight--;
    if (draining && inFlight === 0) idle?.();
  };

  app.addHook('onRequest', async (req, reply) => {
    if (draining) {
      return reply
        .code(503)
        .header('retry-after', String(retryAfterSeconds))
        .header('connection', 'close')
        .send({ type: 'unavailable', message: 'The server is shutting down; retry in a few seconds' });
    }
    counted.add(req);
    inFlight++;
  });
  app.addHook('onResponse', async (req) => done(req));
  app.addHook('onRequestAbort', async (req) => done(req));

  app.decorate('drain', async (timeoutMs = 30_000) => {
    draining = true;
    if (inFlight === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => (idle = resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  });
}
