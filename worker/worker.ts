import { NativeConnection, Worker, bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';
import type { Activities } from '../activities';
import { failureConverterPath } from '../codec/aes-gcm-codec';

export const workflowsPath = require.resolve('../workflows');

/** Bundle the workflow code once per process; every Worker created here reuses it. */
export async function bundleWorkflows(): Promise<{ code: string }> {
  return bundleWorkflowCode({
    workflowsPath,
    failureConverterPath,
    logger: {
      ...console,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      log: () => undefined,
    } as never,
  });
}

export interface UsermodWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  workflowBundle: { code: string };
  dataConverter?: WorkerOptions['dataConverter'];
}

export function createWorker(o: UsermodWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    activities: o.activities,
    workflowBundle: o.workflowBundle,
    dataConverter: o.dataConverter,
  });
}
