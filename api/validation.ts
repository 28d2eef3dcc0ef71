import { z } from 'zod';
import { invalidData, quote, TEXT_LIMITS } from '../domain';
import { avatarUrl, metadata } from '../domain/validation';

/** Medusa's request-validation messages: `Invalid request: Field 'email' is required`, at most 3 issues. */
export function formatIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((i) => {
      const field = i.path.map(String).join('.');
      if (i.code === 'unrecognized_keys') return `Unrecognized fields: ${i.keys.map((k) => quote(k, 40)).join(', ')}`;
      const input = (i as { input?: unknown }).input;
      if (i.code === 'invalid_type' && input === undefined) return `Field '${field}' is required`;
      if (i.code === 'invalid_type') {
        const got = input === null ? 'null' : Array.isArray(input) ? 'array' : typeof input;
        return field
          ? `Expected type: '${i.expected}' for field '${field}', got: '${got}'`
          : `Expected a JSON ${i.expected}, got: '${got}'`;
      }
      // Our own checks say what was expected and quote at most a short prefix of what came.
      if (i.code === 'custom' || i.code === 'too_big' || i.code === 'too_small') return `Field '${field}' ${i.message}`;
      return field ? `${i.message} for field '${field}'` : i.message;
    })
    .join('; ');
}

export function validate<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  // A missing body is an empty one; an explicit `null` is not an object and is refused.
  const r = schema.safeParse(value === undefined ? {} : value, { reportInput: true });
  if (!r.success) throw invalidData(`Invalid request: ${formatIssues(r.error.issues)}`);
  return r.data;
}

// Shared field shapes: every string has a length cap, every number a range; messages say what was expected.
const text = (max: number) => z.string().max(max, { error: `must be at most ${max} characters` });
export const optionalText = text(TEXT_LIMITS.name).nullish();
export const emailField = text(TEXT_LIMITS.email);
/** Passwords: the policy (auth/password-policy.ts) judges them; this only caps what a request may carry. */
export const passwordField = text(256);
/** Invite and reset tokens (JWTs of a few hundred characters). */
export const tokenField = z
  .string()
  .min(1, { error: 'is required' })
  .max(2048, { error: 'must be at most 2048 characters' });
export const idParam = z
  .string()
  .min(1)
  .max(64, { error: 'must be at most 64 characters' })
  .regex(/^[A-Za-z0-9_-]+$/, { error: (i) => `must be an id (letters, digits, _ and -), got ${quote(i.input)}` });
export const avatarUrlField = avatarUrl;
export const metadataField = metadata;

/** A whole number in a query string, with a message that names what was expected. */
const wholeNumber = (max?: number) =>
  z
    .string()
    .superRefine((v, ctx) => {
      const n = /^\d{1,9}$/.test(v) ? Number(v) : NaN;
      if (Number.isNaN(n) || (max !== undefined && n > max)) {
        const range = `from 0${max === undefined ? '' : ` to ${max}`}`;
        ctx.addIssue({ code: 'custom', message: `must be a whole number ${range}, got ${quote(v)}` });
      }
    })
    .transform(Number)
    .optional();
export const listPaging = {
  limit: wholeNumber(1000),
  offset: wholeNumber(),
  order: text(200).optional(),
  fields: text(500).optional(),
};
export const searchText = text(200).optional();
export const oneOrMany = z
  .union([
    text(TEXT_LIMITS.email),
    z.array(text(TEXT_LIMITS.email)).max(100, { error: 'must list at most 100 values' }),
  ])
  .optional();
/** A date filter such as `expires_at[$gt]`: ISO 8601. */
export const dateParam = z
  .string()
  .refine((v) => /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) && !Number.isNaN(Date.parse(v)), {
    error: (i) => `must be a date such as 2026-01-31 or 2026-01-31T12:00:00Z, got ${quote(i.input)}`,
  })
  .optional();

/** Keep only the requested fields (Medusa's `fields=a,b`; `+`/`-` prefixes accepted; id always kept). */
export function pickFields<T extends object>(row: T, fields?: string): Partial<T> {
  if (!fields) return row;
  const wanted = new Set(
    fields
      .split(',')
      .map((f) => f.trim().replace(/^[+*-]/, ''))
      .filter(Boolean),
  );
  wanted.add('id');
  return Object.fromEntries(Object.entries(row).filter(([k]) => wanted.has(k))) as Partial<T>;
}
