import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

// Temporal's default limits (history.* dynamic config): a run is terminated past these.
export const LIMITS = { events: 51_200, historyBytes: 50 * 1024 * 1024, payloadBytes: 2 * 1024 * 1024 };

export interface HistoryStats {
  runs: number;
  /** Largest number of events of one run, its size in bytes, its largest event (a payload's bound). */
  maxEvents: number;
  maxBytes: number;
  maxEventBytes: number;
  totalEvents: number;
  /** A run whose history could not be fetched (a page over gRPC's 4 MB). */
  unreadable?: string;
}

/** Every run started since `since` (the bulk call's parent and its children) and their histories' sizes. */
export async function historiesSince(client: Client, since: Date): Promise<HistoryStats> {
  const stats: HistoryStats = { runs: 0, maxEvents: 0, maxBytes: 0, maxEventBytes: 0, totalEvents: 0 };
  for await (const wf of client.workflow.list({ query: `StartTime >= "${since.toISOString()}"` })) {
    stats.runs++;
    // The server's own count and size; the events themselves when a page can be fetched (≤ 4 MB).
    stats.maxEvents = Math.max(stats.maxEvents, wf.historyLength);
    stats.maxBytes = Math.max(stats.maxBytes, wf.historySize ?? 0);
    const history = await client.workflow
      .getHandle(wf.workflowId, wf.runId)
      .fetchHistory()
      .catch((err: Error) => {
        stats.unreadable = `${wf.workflowId}: ${err.message.split('\n')[0]}`;
        return undefined;
      });
    if (!history) continue;
    const events = history.events ?? [];
    stats.totalEvents += events.length;
    for (const e of events) {
      const size = temporal.api.history.v1.HistoryEvent.encode(e).finish().length;
      stats.maxEventBytes = Math.max(stats.maxEventBytes, size);
    }
  }
  return stats;
}

/** Shape of a run: its local activities (markers) and its activities, as counted in its history. */
export async function shapeOf(client: Client, workflowId: string) {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const count = (t: temporal.api.enums.v1.EventType) => (history.events ?? []).filter((e) => e.eventType === t).length;
  return {
    // Local activities only: a `patched()` marker is no activity.
    local: (history.events ?? []).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
      .length,
    activities: count(temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
  };
}
