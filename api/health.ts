import { temporal } from '@temporalio/proto';
import type { UsermodClient } from '../client';
import type { Store } from '../store';

/** Each part readiness depends on, true when it answers (GET /health reports them one by one). */
export type HealthReport = Record<string, boolean>;

// A part that has not answered within this counts as down, so /health answers within a few seconds
// whatever is down (a dead Temporal address otherwise costs the gRPC client's retries, ~20 s).
const CHECK_MS = 2000;

/** A check that does not answer within `ms` counts as down. */
const within = (ms: number, check: () => Promise<unknown>): Promise<boolean> =>
  Promise.race([
    check().then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
  ]);

/**
 * Ready = the database answers, Temporal answers, at least one worker polls usermod's task queue, and
 * the seeded admin (when ADMIN_EMAIL is set) exists: then a script that waits for 200 can log in.
 */
export function readiness(deps: {
  ping: () => Promise<unknown>;
  store: Store;
  usermod: UsermodClient;
  namespace: string;
  adminEmail?: string;
}): () => Promise<HealthReport> {
  const { workflowService } = deps.usermod.client;
  return async () => {
    const [database, temporalUp, worker, admin] = await Promise.all([
      within(CHECK_MS, deps.ping),
      within(CHECK_MS, () => workflowService.getSystemInfo({})),
      within(CHECK_MS, async () => {
        const { pollers } = await workflowService.describeTaskQueue({
          namespace: deps.namespace,
          taskQueue: { name: deps.usermod.taskQueue },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        });
        if (!pollers?.length) throw new Error('no worker polls the task queue');
      }),
      deps.adminEmail
        ? within(CHECK_MS, async () => {
            const login = await deps.store.findEmailpassLogin(deps.adminEmail!);
            if (!login?.userId) throw new Error('admin not seeded yet');
          })
        : Promise.resolve(undefined),
    ]);
    return { database, temporal: temporalUp, worker, ...(admin === undefined ? {} : { admin }) };
  };
}
