import { z } from 'zod';
import { INVITE_STATUSES, type AuthIdentityDTO, type InviteDTO, type UserDTO } from '../domain';
import { matches } from '../domain/validation';
import type { AuthContext } from '../auth';

// The API's answers, for /docs. Each is tied to the domain type it shows, so the two cannot drift.

const timestamps = { created_at: z.string(), updated_at: z.string(), deleted_at: z.string().nullable() };
const metadata = z.record(z.string(), z.unknown()).nullable();

export const user = matches<UserDTO>()(
  z.object({
    id: z.string(),
    email: z.string(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    avatar_url: z.string().nullable(),
    metadata,
    ...timestamps,
  }),
);

export const invite = matches<InviteDTO>()(
  z.object({
    id: z.string(),
    email: z.string(),
    status: z.enum(INVITE_STATUSES),
    accepted: z.boolean(),
    accepted_at: z.string().nullable(),
    expires_at: z.string(),
    delivery_status: z.enum(['pending', 'sent', 'failed']).nullable(),
    metadata,
    ...timestamps,
    invited_by: z.string().nullable().optional(),
    roles: z.array(z.string()).optional(),
  }),
);

/** Only the answers of create and resend carry the token. */
export const inviteWithToken = invite.extend({ token: z.string() });

export const authContext = matches<AuthContext>()(
  z.object({
    actor_id: z.string(),
    actor_type: z.literal('user'),
    auth_identity_id: z.string(),
    app_metadata: z.record(z.string(), z.unknown()),
  }),
);

export const authIdentity = matches<AuthIdentityDTO>()(
  z.object({
    id: z.string(),
    user_id: z.string().nullable(),
    app_metadata: z.record(z.string(), z.unknown()),
    updated_at: z.string(),
    provider_identities: z.array(z.object({ id: z.string(), provider: z.string(), entity_id: z.string() })),
  }),
);

export const token = z.object({ token: z.string() });

export const deleted = (object: string) =>
  z.object({ id: z.string(), object: z.literal(object), deleted: z.literal(true) });

export const page = <K extends string, S extends z.ZodType>(key: K, row: S) =>
  z.object({ [key]: z.array(row), count: z.number(), offset: z.number(), limit: z.number() } as {
    [k in K]: z.ZodArray<S>;
  } & {
    count: z.ZodNumber;
    offset: z.ZodNumber;
    limit: z.ZodNumber;
  });
