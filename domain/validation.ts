// zod schemas shared by the layers that validate (store, auth, client). Not re-exported from
// domain/index.ts, so that workflow code, which imports the index, does not bundle zod.

import { z } from 'zod';
import { invalidData } from './errors';
import { normalizeEmail } from './email';
import type { NewInvite } from './invites';
import type { NewUser, UserUpdate } from './users';

export const email = z
  .string()
  .transform(normalizeEmail)
  .pipe(z.email({ message: 'Invalid email' }));

export const metadata = z.record(z.string(), z.unknown()).nullish();

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
    const shown = i.code === 'invalid_format' && typeof input === 'string' ? `: '${input}'` : '';
    return path ? `${path}: ${i.message}${shown}` : `${i.message}${shown}`;
  });
  throw invalidData(`Invalid ${what}: ${problems.join('; ')}`);
}

// What callers give the flows, checked by the client before a flow starts and again by the store
// (the store's check is the invariant; the client's spares a flow that could only fail).
const text = z.string().nullish();

export const newUser = matches<NewUser>()(
  z.strictObject({ email, first_name: text, last_name: text, avatar_url: text, metadata }),
);

export const userUpdate = matches<UserUpdate>()(
  z.strictObject({ id: z.string().min(1), first_name: text, last_name: text, avatar_url: text, metadata }),
);

export const newInvite = matches<NewInvite>()(z.strictObject({ email, metadata }));
