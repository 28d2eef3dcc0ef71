import { z } from 'zod';
import { invalidData } from '../domain';

/** Medusa's request-validation messages: `Invalid request: Field 'email' is required`, at most 3 issues. */
export function formatIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((i) => {
      const field = i.path.map(String).join('.');
      if (i.code === 'unrecognized_keys') return `Unrecognized fields: ${i.keys.map((k) => `'${k}'`).join(', ')}`;
      const input = (i as { input?: unknown }).input;
      if (i.code === 'invalid_type' && input === undefined) return `Field '${field}' is required`;
      if (i.code === 'invalid_type') {
        const got = input === null ? 'null' : Array.isArray(input) ? 'array' : typeof input;
        return `Expected type: '${i.expected}' for field '${field}', got: '${got}'`;
      }
      return field ? `${i.message} for field '${field}'` : i.message;
    })
    .join('; ');
}

export function validate<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value ?? {}, { reportInput: true });
  if (!r.success) throw invalidData(`Invalid request: ${formatIssues(r.error.issues)}`);
  return r.data;
}

// Shared field shapes.
export const optionalText = z.string().nullish();
export const metadataField = z.record(z.string(), z.unknown()).nullish();
export const listPaging = {
  limit: z.coerce.number().int().min(0).max(1000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  order: z.string().optional(),
  fields: z.string().optional(),
};
export const oneOrMany = z.union([z.string(), z.array(z.string())]).optional();

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
