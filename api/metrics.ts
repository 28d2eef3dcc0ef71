import type { FastifyInstance } from 'fastify';
import { httpRequests, METRICS_CONTENT_TYPE, renderMetrics } from '../metrics';

/**
 * GET /metrics (Prometheus text): usermod's counters and, in a process that runs a worker, the Temporal
 * SDK's own metrics; plus every answered request counted by method, route pattern and status.
 */
export function metricsRoutes(app: FastifyInstance): void {
  app.addHook('onResponse', async (req, reply) => {
    // The route pattern, never the raw URL: ids and tokens would make unbounded (and secret) labels.
    httpRequests.inc({
      method: req.method,
      route: req.routeOptions?.url ?? 'unmatched',
      status: String(reply.statusCode),
    });
  });
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        summary: 'Prometheus metrics: flows, compensations, deliveries, reconciler, HTTP, and the Temporal SDK worker',
      },
    },
    async (_req, reply) => reply.header('content-type', METRICS_CONTENT_TYPE).send(await renderMetrics()),
  );
}
