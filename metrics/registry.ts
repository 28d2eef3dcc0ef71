import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

// usermod's own metrics, one registry per process (API, worker, or both under `npm start`), served on
// /metrics beside the Temporal SDK's (metrics/index.ts). Names and the alerts built on them: README
// "Metrics and alerts".
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'usermod_' });

const counter = (name: string, help: string, labelNames: string[] = []) =>
  new Counter({ name, help, labelNames, registers: [registry] });

export const flowsStarted = counter('usermod_flows_started_total', 'Flows started (first run only), by flow', ['flow']);
export const flowsCompleted = counter('usermod_flows_completed_total', 'Flows completed, by flow', ['flow']);
export const flowsFailed = counter('usermod_flows_failed_total', 'Flows failed, by flow and failure type', [
  'flow',
  'type',
]);
export const flowsCancelled = counter('usermod_flows_cancelled_total', 'Flows cancelled (and undone), by flow', [
  'flow',
]);
export const flowsCompensated = counter(
  'usermod_flows_compensated_total',
  'Flows whose compensations ran (failed or cancelled after a step), by flow',
  ['flow'],
);
export const compensationAlerts = counter(
  'usermod_compensation_alerts_total',
  'Compensations that kept failing longer than the alert time (USERMOD_COMPENSATION_ALERT_SECONDS), by compensation',
  ['compensation'],
);
export const activityFailures = counter(
  'usermod_activity_failures_total',
  'Failed activity attempts, by activity and kind (transient: retried; business, data: refused at once; internal: a bug)',
  ['activity', 'kind'],
);
export const deliveriesFailed = counter(
  'usermod_invite_deliveries_failed_total',
  'Invites whose mail could not be delivered (marked delivery_status failed)',
);
export const reconcilerRepairs = counter(
  'usermod_reconciler_repairs_total',
  'Leftovers repaired by the reconciler, by kind (dry runs not counted)',
  ['kind'],
);
export const reconcilerFindings = counter(
  'usermod_reconciler_findings_total',
  'Leftovers the reconciler found, by kind (dry runs included)',
  ['kind'],
);
export const httpRequests = counter(
  'usermod_http_requests_total',
  'HTTP requests answered, by method, route and status',
  ['method', 'route', 'status'],
);

let countCompensating: (() => Promise<number>) | undefined;

/** Where the compensations gauge reads from: a process with a Temporal client sets it (metrics/index.ts). */
export function countCompensatingWith(count: (() => Promise<number>) | undefined): void {
  countCompensating = count;
}

/** Compensations retrying right now, across all workers: running flows flagged `UsermodCompensating`. */
export const compensationsRetrying = new Gauge({
  name: 'usermod_compensations_retrying',
  help: 'Running flows with a compensation failing longer than the alert time (Temporal visibility: UsermodCompensating = true)',
  registers: [registry],
  async collect() {
    if (!countCompensating) return;
    // A scrape must not fail because Temporal is away: the gauge then keeps its last value.
    const n = await countCompensating().catch(() => undefined);
    if (n !== undefined) this.set(n);
  },
});
