// The generic compensation proof: a flow is run once successfully, the activities it ran are read
// from its history, and it is run again with a failure injected after each of them in turn.
import { Context } from '@temporalio/activity';
import { Client, type ClientOptions, type WorkflowClientInterceptor } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../activities';
import type { UsermodClient } from '../client';

/** One way to run a flow successfully; a flow's file in test/flows/ exports a list of them. */
export interface FlowScenario {
  name: string;
  /**
   * Makes what the flow needs (through the real flows, nothing injected) and returns the run of the
   * flow under test. Called before every run, so each run starts from fresh rows.
   */
  prepare(ctx: UsermodClient): Promise<(ctx: UsermodClient) => Promise<unknown>>;
}

/** An activity a run scheduled, as its history says. */
export interface ScheduledActivity {
  activityId: string;
  activityType: string;
  /** A local activity: run inside a workflow task, recorded as a marker when that task completes. */
  local: boolean;
}

/** The SDK's marker for a finished local activity; its `data` detail (plain JSON) names the activity. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** A client that remembers the workflows it starts (a client interceptor, the SDK's own hook). */
export function recordingClient(client: Client, dataConverter: ClientOptions['dataConverter']) {
  const started: { workflowId: string; workflowType: string }[] = [];
  const recorder: WorkflowClientInterceptor = {
    async startWithDetails(input, next) {
      started.push({ workflowId: input.options.workflowId, workflowType: input.workflowType });
      return next(input);
    },
  };
  const recording = new Client({
    connection: client.connection,
    namespace: client.options.namespace,
    dataConverter,
    interceptors: { workflow: [recorder] },
  });
  return { client: recording, started };
}

/** The activities a finished run scheduled, local ones included (from their markers), in order. */
export async function scheduledActivities(client: Client, workflowId: string): Promise<ScheduledActivity[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e): ScheduledActivity[] => {
    const a = e.activityTaskScheduledEventAttributes;
    if (a) return [{ activityId: a.activityId!, activityType: a.activityType!.name!, local: false }];
    const m = e.markerRecordedEventAttributes;
    const data = m?.markerName === LOCAL_ACTIVITY_MARKER ? m.details?.data?.payloads?.[0]?.data : undefined;
    if (!data) return [];
    const marker = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_id: string; activity_type: string };
    return [{ activityId: marker.activity_id, activityType: marker.activity_type, local: true }];
  });
}

export const INJECTED = 'injected';

/**
 * The real activities, each wrapped: the one activity of `workflowType` with this id and type runs
 * for real, then throws a non-retryable failure, as if the worker died right after its commit.
 */
export function failAfter(real: Activities, workflowType: string, target: ScheduledActivity): Partial<Activities> {
  return Object.fromEntries(
    Object.entries(real).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        const out = await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
        const info = Context.current().info;
        if (
          info.isLocal === target.local &&
          info.workflowType === workflowType &&
          info.activityId === target.activityId &&
          info.activityType === target.activityType
        ) {
          throw ApplicationFailure.nonRetryable(
            `injected failure after ${target.activityType} (activity ${target.activityId})`,
            INJECTED,
          );
        }
        return out;
      },
    ]),
  );
}
