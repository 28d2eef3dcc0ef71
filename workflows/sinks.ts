import { proxySinks, type Sinks } from '@temporalio/workflow';

/**
 * What workflow code reports to the worker's metrics (metrics/index.ts implements it). Sinks are
 * fire-and-forget and not called while a worker replays history, so each event is counted once.
 */
export interface UsermodSinks extends Sinks {
  flowMetrics: {
    started(): void;
    completed(): void;
    failed(type: string): void;
    cancelled(): void;
    compensated(): void;
    compensationAlert(compensation: string): void;
    deliveryFailed(): void;
  };
}

export const { flowMetrics } = proxySinks<UsermodSinks>();
