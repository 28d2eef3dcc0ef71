import { z } from 'zod';
import { invalidData } from './errors';

export const email = z.string().trim().toLowerCase().pipe(z.email({ message: 'Invalid email' }));

/** E-mails are stored lower-cased and trimmed, so every comparison is case-insensitive. */
export const normalizeEmail = (value: string) => value.trim().toLowerCase();

export const metadata = z.record(z.string(), z.unknown()).nullish();

const shortQuote = (s: string) => {
  const shown = JSON.stringify(s.slice(0, 32)).slice(1, -1);
  return s.length > 32 ? `'${shown}…' (${s.length} characters)` : `'${shown}'`;
};

/** Parse with zod; on failure an invalid_data error whose message names each field and problem. */
export function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 3).map((i) => {
    if (i.code === 'unrecognized_keys') return `Unrecognized fields: ${i.keys.map((k) => `'${k}'`).join(', ')}`;
    const path = i.path.filter((p) => typeof p !== 'number').join('.');
    const input = (i as { input?: unknown }).input;
    // A short prefix of the value at most: an input may be huge (or carry control characters).
    const shown = i.code === 'invalid_format' && typeof input === 'string' ? `: ${shortQuote(input)}` : '';
    return path ? `${path}: ${i.message}${shown}` : `${i.message}${shown}`;
  });
  throw invalidData(`Invalid ${what}: ${problems.join('; ')}`);
}
