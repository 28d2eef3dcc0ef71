import { inspect } from 'node:util';
import { DefaultLogger, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';
import { logger } from './logger';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** An error as one line: its type and the first line of its message (causes appended), no stack. */
export function errorLine(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (!(e instanceof Error)) {
      parts.push(String(e).split('\n')[0]);
      break;
    }
    const type = (e as { type?: string }).type ?? e.name;
    parts.push(`${type}: ${e.message.split('\n').find((l) => l.trim()) ?? ''}`.trim());
  }
  return parts.join(' <- ');
}

/** The SDK's log entries as single pino lines: a failed activity attempt is one line, not a stack dump. */
export function oneLine(entry: LogEntry): void {
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry.meta ?? {})) {
    if (v instanceof Error) meta[k] = errorLine(v);
    else if (v !== null && typeof v === 'object')
      meta[k] = inspect(v, { breakLength: Infinity, depth: 2, compact: true });
    else meta[k] = v;
  }
  logger[PINO_LEVEL[entry.level]]({ sdk: true, ...meta }, entry.message);
}

export interface RuntimeSettings {
  /** Least severe SDK log level printed (worker and workflow logs). */
  logLevel: LogLevel;
  /** Serve the SDK's Prometheus metrics on 127.0.0.1:<port> (0: none). Read through GET /metrics. */
  sdkMetricsPort?: number;
  /** Signals on which the SDK drains workers by itself; [] when the process stops them in order. */
  shutdownSignals?: NodeJS.Signals[];
}

/**
 * Install the process's Temporal SDK runtime (once, before any worker or connection): one-line logs
 * through usermod's logger and, when asked, the SDK's Prometheus metrics. Returns false when a runtime
 * was already installed (e.g. by an earlier test file in the same process).
 */
export function installRuntime(s: RuntimeSettings): boolean {
  try {
    Runtime.install({
      logger: new DefaultLogger(s.logLevel, oneLine),
      ...(s.shutdownSignals ? { shutdownSignals: s.shutdownSignals } : {}),
      telemetryOptions: {
        // The native core's own warnings go through the same one-line logger, not straight to stderr.
        logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } },
        ...(s.sdkMetricsPort
          ? {
              metrics: {
                prometheus: {
                  bindAddress: `127.0.0.1:${s.sdkMetricsPort}`,
                  countersTotalSuffix: true,
                  useSecondsForDurations: true,
                },
              },
            }
          : {}),
      },
    });
  } catch {
    return false;
  }
  if (s.sdkMetricsPort) process.env.USERMOD_SDK_METRICS_URL = `http://127.0.0.1:${s.sdkMetricsPort}/metrics`;
  return true;
}
