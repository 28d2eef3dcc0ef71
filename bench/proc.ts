// CPU and memory of processes, read from /proc (Linux): what a row of the benchmark costs each process.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the benchmark runs on

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: fields start after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU ms used by a process (user + system), plus that of its children already reaped. */
function cpuOf(pid: number): number {
  const f = statFields(pid);
  if (!f) return 0;
  // Fields 14-17 of stat(5) (utime, stime, cutime, cstime) are at 11-14 once pid and comm are cut.
  const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    if (f && Number(f[1]) === pid) out.push(Number(name));
  }
  return out;
}

/**
 * CPU ms of a process and its live descendants (PostgreSQL's backends are the postmaster's children),
 * leaving out the trees under `apart`: processes charged on their own (the benchmark spawns the worker,
 * the dev server and PostgreSQL, which would otherwise count twice, in its own row too).
 */
export function treeCpuMs(pid: number, apart: ReadonlySet<number> = new Set()): number {
  let total = cpuOf(pid);
  for (const child of childrenOf(pid)) if (!apart.has(child)) total += treeCpuMs(child, apart);
  return total;
}

/** kB of a /proc/<pid>/status line: VmRSS (now) or VmHWM (peak). */
export function memoryKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
