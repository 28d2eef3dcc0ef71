import { workflowInfo } from '@temporalio/workflow';

// Crockford's base32, as ULIDs use it (store/ids.ts: `<prefix>_<ULID>`).
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Entity ids made in workflow code: `<prefix>_<ULID>`, like store/ids.ts. The time part is the
 * workflow's start (its started event; not runStartTime, the time of the task that first runs the code,
 * which moves when that task fails, as when a cancel arrives during it) and the random part the
 * workflow's seeded Math.random, so a workflow task that is retried (a worker lost mid-task, a task
 * failed) makes the very same ids again. A local activity's result is recorded only when its task
 * completes: ids from one, followed by a local write in the same task, would be made anew by the
 * retried task and leave the first attempt's rows behind.
 */
export function workflowIds(prefix: string, count: number): string[] {
  const start = workflowInfo().startTime.getTime();
  let time = '';
  for (let t = start, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = BASE32[t % 32] + time;
  return Array.from({ length: count }, () => {
    let random = '';
    for (let i = 0; i < 16; i++) random += BASE32[Math.floor(Math.random() * 32)];
    return `${prefix}_${time}${random}`;
  });
}
