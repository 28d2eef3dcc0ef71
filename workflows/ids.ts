import { workflowInfo } from '@temporalio/workflow';

// Crockford's base32, as ULIDs use it (store/ids.ts: `<prefix>_<ULID>`).
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Entity ids made in workflow code: `<prefix>_<ULID>`, like store/ids.ts, the same whenever the code that
 * makes them runs again: on a retried workflow task (a worker lost mid-task, a task failed because a
 * cancel arrived during it) and on a reset (the reconciler resets a terminated run, which re-runs its
 * last workflow task). So a write repeated by such a task finds its own rows, and the undo deletes them.
 * - The time part is the workflow's start (its started event; not runStartTime, the time of the task
 *   that first runs the code, which moves when that task fails).
 * - The random part comes from the run's original id, which a reset keeps (the workflow's seeded
 *   Math.random does not: a reset gives the new run another seed), and the prefix: one call per prefix
 *   per run.
 * A local activity's result is recorded only when its task completes, so ids from one, followed by a
 * local write in the same task, would be made anew by the retried task: hence ids in workflow code.
 */
export function workflowIds(prefix: string, count: number): string[] {
  const info = workflowInfo();
  let time = '';
  for (let t = info.startTime.getTime(), i = 0; i < 10; i++, t = Math.floor(t / 32)) time = BASE32[t % 32] + time;
  const random = runGenerator(prefix);
  return Array.from({ length: count }, () => {
    let part = '';
    for (let i = 0; i < 16; i++) part += BASE32[random() >>> 27];
    return `${prefix}_${time}${part}`;
  });
}

/**
 * Random UUIDs (version 4 layout) made in workflow code, the same on a retried task and after a reset, as
 * workflowIds' (one call per key per run): the invites' token ids (jti), which are no secret (the token
 * is their signature, made by the worker from a key that never enters workflow code).
 */
export function workflowUuids(key: string, count: number): string[] {
  const random = runGenerator(key);
  const hex = () => random().toString(16).padStart(8, '0');
  return Array.from({ length: count }, () => {
    const h = hex() + hex() + hex() + hex();
    const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  });
}

/** The generator of this run and key: seeded by the run's original id, which a reset keeps. */
const runGenerator = (key: string) => generator(`${workflowInfo().originalExecutionRunId}/${key}`);

/** 32-bit FNV-1a of `s` from the offset `seed`. */
function fnv1a(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** sfc32 (Chris Doty-Humphrey's small fast counter generator), seeded from four hashes of `key`. */
function generator(key: string): () => number {
  let [a, b, c, d] = [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b].map((seed) => fnv1a(key, seed));
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i++) next(); // mix the seed in before the first output
  return next;
}
