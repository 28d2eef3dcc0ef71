import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';

/**
 * scrypt (logN 15: ~100-150 ms of CPU and 32 MiB each) runs on a pool of worker threads sized to the
 * cores, one hash per thread. The event loop only posts the task and gets the answer, and at most one
 * hash per core runs at once: a burst of logins queues here instead of taking every thread of libuv's
 * shared pool (fs, dns.lookup, zlib) and every core from the requests around it.
 */
let pool: Piscina | undefined;

function passwordPool(): Piscina {
  pool ??= new Piscina({
    filename: join(__dirname, 'scrypt-worker.mjs'),
    maxThreads: availableParallelism(),
    minThreads: 1,
    concurrentTasksPerWorker: 1,
    // First come, first hashed: by default a task piscina takes from the queue while every thread is busy
    // goes back to its tail, so under a burst some callers were overtaken again and again (accepts at
    // concurrency 20: hash wait p50 1.0 s, p99 6.5 s; README, Performance).
    stricterFIFO: true,
    // Threads left idle this long end; the pool never keeps a process alive by itself.
    idleTimeout: 30_000,
  });
  return pool;
}

export type ScryptTask =
  | { op: 'hash'; password: string; params: { logN: number; r: number; p: number } }
  | { op: 'verify'; hash: string; password: string };

export function runScrypt(task: Extract<ScryptTask, { op: 'hash' }>): Promise<string>;
export function runScrypt(task: Extract<ScryptTask, { op: 'verify' }>): Promise<boolean>;
export function runScrypt(task: ScryptTask): Promise<string | boolean> {
  return passwordPool().run(task) as Promise<string | boolean>;
}

/** How much scrypt work the pool has done and how many threads it runs (tests, metrics). */
export function passwordPoolStats(): { threads: number; completed: number; maxThreads: number } {
  return pool
    ? { threads: pool.threads.length, completed: pool.completed, maxThreads: pool.options.maxThreads }
    : { threads: 0, completed: 0, maxThreads: availableParallelism() };
}
