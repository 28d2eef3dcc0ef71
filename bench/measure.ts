import { memoryKb, treeCpuMs } from './proc';

/** The processes whose CPU a row is charged: name → pid (the tree under it). */
export type Processes = Record<string, number>;

export interface Row {
  name: string;
  n: number;
  concurrency: number;
  opsPerSecond: number;
  p50: number;
  p99: number;
  /** CPU ms per operation, per process. */
  cpuPerOp: Record<string, number>;
  /** Peak RSS of the worker process during the row, MB. */
  workerRssMb?: number;
  error?: string;
}

const quantile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/**
 * Runs `op` n times, `concurrency` at a time, and reports throughput, latency quantiles and the CPU
 * each process spent per operation meanwhile (read from /proc before and after).
 */
export async function measure(
  name: string,
  n: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
  processes: Processes,
  workerPid?: number,
): Promise<Row> {
  const times: number[] = [];
  // Each process's CPU apart from the others' (the bench's own process is the parent of all of them).
  const apart = new Set(Object.values(processes));
  const cpu = (pid: number) => treeCpuMs(pid, apart);
  const before = Object.fromEntries(Object.entries(processes).map(([k, pid]) => [k, cpu(pid)]));
  let peakKb = 0;
  const sampler = workerPid
    ? setInterval(() => (peakKb = Math.max(peakKb, memoryKb(workerPid, 'VmRSS'))), 100)
    : undefined;
  let next = 0;
  let error: string | undefined;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n && !error) {
        const i = next++;
        const t = performance.now();
        try {
          await op(i);
        } catch (err) {
          error = (err as Error).message.split('\n')[0];
          return;
        }
        times.push(performance.now() - t);
      }
    }),
  );
  const wall = performance.now() - start;
  if (sampler) clearInterval(sampler);
  const sorted = times.sort((a, b) => a - b);
  const cpuPerOp = Object.fromEntries(
    Object.entries(processes).map(([k, pid]) => [k, round((cpu(pid) - before[k]) / Math.max(1, times.length))]),
  );
  return {
    name,
    n: times.length,
    concurrency,
    opsPerSecond: round((times.length / wall) * 1000),
    p50: round(quantile(sorted, 0.5) ?? NaN),
    p99: round(quantile(sorted, 0.99) ?? NaN),
    cpuPerOp,
    workerRssMb: workerPid ? Math.round(peakKb / 1024) : undefined,
    error,
  };
}

export const round = (x: number) => Math.round(x * 10) / 10;
