// The workflow bundle of the benchmark: every usermod workflow, plus the floors they are measured
// against. A floor has the same shape as a flow (local activities, then activities, one after another)
// but its activities do nothing, so the difference to the flow is what the flow's own work costs.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
export * from '../workflows';

export interface Shape {
  local: number;
  activities: number;
}

interface NoopActivities {
  benchNoop(): Promise<void>;
}
const { benchNoop } = proxyActivities<NoopActivities>({ startToCloseTimeout: '30 seconds' });
const localNoop = proxyLocalActivities<NoopActivities>({ startToCloseTimeout: '10 seconds' }).benchNoop;

export async function benchNoopWorkflow(shape: Shape): Promise<void> {
  for (let i = 0; i < shape.local; i++) await localNoop();
  for (let i = 0; i < shape.activities; i++) await benchNoop();
}
