import { NativeConnection, Worker, bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';
import type { Activities } from '../activities';
import { failureConverterPath } from '../codec/aes-gcm-codec';
import { DEFAULT_POLICY, type FlowPolicy } from '../domain';
import { metricSinks } from '../metrics';

export const workflowsPath = require.resolve('../workflows');
/** Bundled with the workflows: every flow's start and end reach the worker's metrics. */
export const workflowInterceptorModules = [require.resolve('../workflows/interceptors')];

// webpack is the SDK bundler's own dependency: resolved from there rather than depended on.
const webpack = () =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(require.resolve('webpack', { paths: [require.resolve('@temporalio/worker')] })) as {
    DefinePlugin: new (definitions: Record<string, string>) => unknown;
  };

/**
 * Bundle the workflow code once per process; every Worker created here reuses it. The flow policy
 * (budgets and alert time, domain/policy.ts) is fixed into the bundle.
 */
export async function bundleWorkflows(
  policy: FlowPolicy = DEFAULT_POLICY,
  path: string = workflowsPath,
): Promise<{ code: string }> {
  return bundleWorkflowCode({
    workflowsPath: path,
    workflowInterceptorModules,
    failureConverterPath,
    webpackConfigHook: (config) => {
      const { DefinePlugin } = webpack();
      const define = new DefinePlugin({ __USERMOD_FLOW_POLICY__: JSON.stringify(policy) });
      config.plugins = [...(config.plugins ?? []), define as never];
      return config;
    },
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
  /** Slots and cache sizes, when not the SDK's defaults (the benchmark tries some: bench/main.ts). */
  tuning?: Pick<
    WorkerOptions,
    | 'maxCachedWorkflows'
    | 'maxConcurrentWorkflowTaskExecutions'
    | 'maxConcurrentActivityTaskExecutions'
    | 'maxConcurrentLocalActivityExecutions'
    | 'reuseV8Context'
  >;
}

export function createWorker(o: UsermodWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    activities: o.activities,
    workflowBundle: o.workflowBundle,
    dataConverter: o.dataConverter,
    sinks: metricSinks(),
    // On shutdown (SIGTERM), activities in flight get this long to finish before they are cancelled.
    shutdownGraceTime: '20 seconds',
    // As many pollers on the task queue as on this worker's sticky queue (the SDK's default gives the task
    // queue 2 of its 10): usermod's flows mostly end in their first workflow task, which always comes from
    // the task queue. With 2, a burst left some first tasks waiting ~2 s for a poller: the noop workflow's
    // p99 at concurrency 20 went from 2.2 s to 0.34 s (README, Performance).
    nonStickyToStickyPollRatio: 1,
    ...o.tuning,
  });
}
