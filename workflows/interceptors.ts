import {
  ApplicationFailure,
  ContinueAsNew,
  isCancellation,
  workflowInfo,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import { flowMetrics } from './sinks';

/** Every flow's start and end, for the worker's metrics (bundled with the workflows: worker/worker.ts). */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        if (!workflowInfo().continuedFromExecutionRunId) flowMetrics.started();
        try {
          const result = await next(input);
          flowMetrics.completed();
          return result;
        } catch (err) {
          if (err instanceof ContinueAsNew) throw err;
          if (isCancellation(err)) flowMetrics.cancelled();
          else flowMetrics.failed(err instanceof ApplicationFailure && err.type ? err.type : 'internal');
          throw err;
        }
      },
    },
  ],
});
