import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { StartupError } from '../infra/startup-error';

/** The last error line the CLI printed (its log lines are `time=… level=ERROR msg=…`). */
const lastError = (text: string) => {
  const lines = text.trim().split('\n').filter(Boolean);
  const error =
    lines.reverse().find((l) => /error|fatal|failed|address already in use/i.test(l)) ?? lines[0] ?? 'no output';
  return error.replace(/^time=\S+\s+/, '').slice(0, 300);
};

export interface DevServerOptions {
  cliPath: string;
  port: number;
  /** Web UI port; omit for a headless server (tests). */
  uiPort?: number;
  /** SQLite file; omit for an in-memory server. */
  dbFile?: string;
  namespace?: string;
  codecEndpoint?: string;
  /** Forward the server's own output (warnings and errors) to ours. */
  inheritOutput?: boolean;
  /** More dynamic config (`key=value`, the value as JSON), e.g. what the benchmark tries. */
  dynamicConfig?: string[];
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  pid: number;
  stop(): Promise<void>;
}

const CLI_TYPE: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.DOUBLE]: 'Double',
};

export async function waitForTemporal(
  address: string,
  timeoutMs: number,
  exited?: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const why = exited?.();
    if (why) throw new Error(`exited before it was ready (${why})`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(
    `no answer from ${address} within ${Math.round(timeoutMs / 1000)} s (${String((lastError as Error)?.message ?? lastError).split('\n')[0]})`,
  );
}

/** `temporal server start-dev` on 127.0.0.1 with usermod's search attributes registered. */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'error'];
  args.push('--namespace', opts.namespace ?? 'default');
  if (opts.uiPort !== undefined) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) {
    mkdirSync(dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile, '--sqlite-pragma', 'journal_mode=WAL');
  }
  if (opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);
  for (const key of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=${CLI_TYPE[key.type]}`);
  // As the SDK's own test server does: workflow updates enabled.
  args.push('--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true');
  for (const kv of opts.dynamicConfig ?? []) args.push('--dynamic-config-value', kv);

  const child: ChildProcess = spawn(opts.cliPath, args, {
    // Its own process group: a terminal's Ctrl-C reaches usermod, which drains the worker first and
    // stops the server after it.
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + String(d)).slice(-4000);
    if (opts.inheritOutput) process.stderr.write(d);
  });
  let exit: string | undefined;
  child.on('error', (err) => (exit = err.message));
  child.on(
    'exit',
    (code, signal) => (exit = `exit code ${code}${signal ? `, signal ${signal}` : ''}: ${lastError(stderr)}`),
  );

  const address = `127.0.0.1:${opts.port}`;
  try {
    await waitForTemporal(address, 60_000, () => exit);
  } catch (err) {
    child.kill('SIGKILL');
    throw new StartupError(
      'Temporal dev server',
      `${(err as Error).message} (port ${opts.port}: TEMPORAL_DEV_PORT; or set TEMPORAL_ADDRESS to use a running cluster)`,
    );
  }
  return {
    address,
    pid: child.pid!,
    uiUrl: opts.uiPort !== undefined ? `http://localhost:${opts.uiPort}` : undefined,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exit !== undefined) return resolve();
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(killer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
