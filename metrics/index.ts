import { createServer, type Server } from 'node:http';
import type { Client } from '@temporalio/client';
import type { InjectedSinks } from '@temporalio/worker';
import type { WorkflowInfo } from '@temporalio/workflow';
import type { UsermodSinks } from '../workflows/sinks';
import {
  compensationAlerts,
  deliveriesFailed,
  countCompensatingWith,
  flowsCancelled,
  flowsCompensated,
  flowsCompleted,
  flowsFailed,
  flowsStarted,
  registry,
} from './registry';

export * from './registry';

/** A flow's name in metrics: its workflow type without the `Workflow` suffix. */
const flowOf = (info: WorkflowInfo) => info.workflowType.replace(/Workflow$/, '');

/** The worker side of workflows/sinks.ts: flow events become counters (never during replay). */
export function metricSinks(): InjectedSinks<UsermodSinks> {
  return {
    flowMetrics: {
      started: { fn: (info) => flowsStarted.inc({ flow: flowOf(info) }) },
      completed: { fn: (info) => flowsCompleted.inc({ flow: flowOf(info) }) },
      failed: { fn: (info, type) => flowsFailed.inc({ flow: flowOf(info), type }) },
      cancelled: { fn: (info) => flowsCancelled.inc({ flow: flowOf(info) }) },
      compensated: { fn: (info) => flowsCompensated.inc({ flow: flowOf(info) }) },
      compensationAlert: { fn: (_info, compensation) => compensationAlerts.inc({ compensation }) },
      deliveryFailed: { fn: () => deliveriesFailed.inc() },
    },
  };
}

/** The compensations gauge counts running flows flagged `UsermodCompensating` (any worker's). */
export function watchCompensations(client: Client): void {
  countCompensatingWith(async () => {
    const { count } = await client.workflow.count('UsermodCompensating = true AND ExecutionStatus = "Running"');
    return count;
  });
}

/**
 * The Temporal SDK's own metrics (workflow and activity task latencies, failures, slots, polls...) are
 * exported by its runtime on this address when `infra/runtime.ts` installed it with one.
 */
export const sdkMetricsUrl = () => process.env.USERMOD_SDK_METRICS_URL;

/** The text of GET /metrics: usermod's registry, then the SDK's metrics of this process. */
export async function renderMetrics(): Promise<string> {
  const own = await registry.metrics();
  const url = sdkMetricsUrl();
  if (!url) return own;
  const sdk = await fetch(url, { signal: AbortSignal.timeout(2000) })
    .then((r) => (r.ok ? r.text() : ''))
    .catch(() => '');
  return `${own}\n${sdk}`;
}

export const METRICS_CONTENT_TYPE = registry.contentType;

/** GET /metrics on its own port, for a worker run without the API (WORKER_METRICS_PORT). */
export function serveMetrics(port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    renderMetrics().then(
      (text) => res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
