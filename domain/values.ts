import { invalidData } from './errors';

// What a value may be, whoever checks it (the API before anything else, the client's and the store's
// schemas): what PostgreSQL cannot store must be refused with a clear 400 before a flow starts, not
// discovered by an activity (which used to retry it for minutes). Iterative, so a body nested
// thousands deep costs a loop, not the stack.

/** Lengths of the stored texts (e-mail as RFC 5321 allows, names, URLs). */
export const TEXT_LIMITS = { email: 254, name: 255, url: 2048 } as const;

/** Deepest nesting of objects and arrays a request may carry (the body itself is level 1). */
export const MAX_REQUEST_DEPTH = 8;

/** Metadata limits: JSON size, nesting below the metadata object, and keys per object. */
export const METADATA_LIMITS = { bytes: 16 * 1024, depth: 5, keys: 100 } as const;

/** A value as it may be quoted in an error message: a short prefix, never a whole (maybe huge) input. */
export function quote(value: unknown, max = 32): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const chars = [...s];
  // NUL and other control characters are shown escaped, so the message itself stays printable.
  const shown = JSON.stringify(chars.slice(0, max).join('')).slice(1, -1);
  return chars.length > max ? `'${shown}…' (${chars.length} characters)` : `'${shown}'`;
}

/** Why a string cannot be stored: a NUL character, or half of a UTF-16 surrogate pair. */
export function unstorable(s: string): string | undefined {
  if (s.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s))
    return 'contains an unpaired UTF-16 surrogate';
  return undefined;
}

/**
 * Throws invalid_data naming the field when any string (key or value) cannot be stored, or when the
 * value nests deeper than `MAX_REQUEST_DEPTH`.
 */
export function checkRequestValues(value: unknown, part: 'body' | 'query' | 'params'): void {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: '', depth: 0 }];
  const name = (path: string) => (path ? `field '${path}'` : `the ${part}`);
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const why = unstorable(v);
      if (why) throw invalidData(`Invalid request: ${name(path)} ${why}`);
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > MAX_REQUEST_DEPTH)
      throw invalidData(`Invalid request: ${name(path)} is nested too deeply (at most ${MAX_REQUEST_DEPTH} levels)`);
    for (const [k, child] of Object.entries(v)) {
      const why = unstorable(k);
      if (why) throw invalidData(`Invalid request: a key in ${name(path)} ${why}`);
      stack.push({ v: child, path: path ? `${path}.${k.slice(0, 40)}` : k.slice(0, 40), depth: depth + 1 });
    }
  }
}

/** Why a metadata object is refused (size, depth, keys per object), or undefined when it is fine. */
export function metadataProblem(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
  if (bytes > METADATA_LIMITS.bytes) return `must be at most ${METADATA_LIMITS.bytes} bytes of JSON, got ${bytes}`;
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 1 }];
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > METADATA_LIMITS.depth) return `must nest at most ${METADATA_LIMITS.depth} levels deep`;
    const entries = Object.entries(v);
    if (entries.length > METADATA_LIMITS.keys) return `must have at most ${METADATA_LIMITS.keys} keys per object`;
    for (const [, child] of entries) stack.push({ v: child, depth: depth + 1 });
  }
  return undefined;
}
