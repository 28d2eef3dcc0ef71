// zod schemas shared by the layers that validate (store, auth, client). Not re-exported from
// domain/index.ts, so that workflow code, which imports the index, does not bundle zod.

import { z } from 'zod';
import { invalidData } from './errors';
import { normalizeEmail } from './email';
import { metadataProblem, quote, TEXT_LIMITS } from './values';
import { INVITE_EXPIRES_IN_BOUNDS, type InviteUpdate, type NewInvite } from './invites';
import type { NewUser, UserUpdate } from './users';

export const email = z
  .string()
  .max(TEXT_LIMITS.email, { error: `must be at most ${TEXT_LIMITS.email} characters` })
  .transform(normalizeEmail)
  .pipe(z.email({ message: 'Invalid email' }));

/** Metadata: a JSON object within the size, depth and key limits (domain/values.ts). */
export const metadata = z
  .record(z.string().max(100, { error: 'keys must be at most 100 characters' }), z.unknown())
  .superRefine((v, ctx) => {
    const problem = metadataProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .nullish();

/** A name: at most 255 characters. */
export const name = z
  .string()
  .max(TEXT_LIMITS.name, { error: `must be at most ${TEXT_LIMITS.name} characters` })
  .nullish();

/** An avatar: an absolute http(s) URL, nothing else a browser might run (javascript:, data:). */
export const avatarUrl = z
  .string()
  .max(TEXT_LIMITS.url, { error: `must be at most ${TEXT_LIMITS.url} characters` })
  .refine((v) => /^https?:\/\/\S+$/i.test(v) && URL.canParse(v), {
    error: (i) => `must be an http(s) URL, got ${quote(i.input)}`,
  })
  .nullish();

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * Ties a schema to the domain type it validates: `matches<CreateUserInput>()(z.strictObject({...}))`
 * compiles only while the schema accepts exactly that type, so the two cannot drift apart.
 */
export const matches =
  <T>() =>
  <S extends z.ZodType>(schema: S, ..._proof: Same<z.input<S>, T> extends true ? [] : [mismatch: never]): S =>
    schema;

/** Parse with zod; on failure an invalid_data error whose message names each field and problem. */
export function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 3).map((i) => {
    if (i.code === 'unrecognized_keys') return `Unrecognized fields: ${i.keys.map((k) => `'${k}'`).join(', ')}`;
    const path = i.path.filter((p) => typeof p !== 'number').join('.');
    const input = (i as { input?: unknown }).input;
    // A short prefix of the value at most: an input may be huge (or carry control characters).
    const shown = i.code === 'invalid_format' && typeof input === 'string' ? `: ${quote(input)}` : '';
    return path ? `${path}: ${i.message}${shown}` : `${i.message}${shown}`;
  });
  throw invalidData(`Invalid ${what}: ${problems.join('; ')}`);
}

// What callers give the flows, checked by the client before a flow starts and again by the store
// (the store's check is the invariant; the client's spares a flow that could only fail).
export const newUser = matches<NewUser>()(
  z.strictObject({ email, first_name: name, last_name: name, avatar_url: avatarUrl, metadata }),
);

export const userUpdate = matches<UserUpdate>()(
  z.strictObject({ id: z.string().min(1), first_name: name, last_name: name, avatar_url: avatarUrl, metadata }),
);

export const inviteUpdate = matches<InviteUpdate>()(z.strictObject({ id: z.string().min(1), metadata }));
export const newInvite = matches<NewInvite>()(
  z.strictObject({
    email,
    metadata,
    roles: z
      .array(z.string().min(1).max(100, { error: 'must be at most 100 characters' }))
      .max(100, { error: 'must name at most 100 roles' })
      .nullish(),
    invited_by: z.string().max(100).nullish(),
    expires_in: z
      .number()
      .int({ error: 'must be a whole number of seconds' })
      .min(INVITE_EXPIRES_IN_BOUNDS.min, { error: `must be at least ${INVITE_EXPIRES_IN_BOUNDS.min} seconds` })
      .max(INVITE_EXPIRES_IN_BOUNDS.max, { error: `must be at most ${INVITE_EXPIRES_IN_BOUNDS.max} seconds (30 days)` })
      .nullish(),
  }),
);
