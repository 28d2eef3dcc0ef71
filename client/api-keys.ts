import { z } from 'zod';
import { hashApiKey, newApiKeySecret, redactApiKey } from '../auth/api-key';
import { API_KEY_REVOKE_IN_MAX, type ApiKeyDTO } from '../domain';
import { parse } from '../domain/validation';
import { newId } from '../store/ids';
import { runFlow, type RunOptions, type UsermodClient } from './run';

export const apiKeyTitle = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(255, { error: 'must be at most 255 characters' });
export const revokeIn = z
  .number()
  .int({ error: 'must be a whole number of seconds' })
  .min(0, { error: 'must be at least 0' })
  .max(API_KEY_REVOKE_IN_MAX, { error: `must be at most ${API_KEY_REVOKE_IN_MAX} seconds (30 days)` });

/**
 * A new secret API key: the secret is made and hashed here, and only its hash, sealed, enters the flow.
 * The answer is the only place the secret is ever shown (`token`).
 */
export async function createApiKey(
  ctx: UsermodClient,
  input: { title: string; roleIds?: string[]; createdBy: string },
  options: RunOptions = {},
): Promise<ApiKeyDTO> {
  const title = parse(apiKeyTitle, input.title, 'title');
  const secret = newApiKeySecret();
  const { hash, salt } = await hashApiKey(secret);
  const id = newId('apk');
  const key = await runFlow(
    ctx,
    'createApiKey',
    {
      id,
      title,
      redacted: redactApiKey(secret),
      tokenHash: ctx.seal.seal(hash, 'token_hash'),
      salt,
      createdBy: input.createdBy,
      roleIds: [...new Set(input.roleIds ?? [])],
    },
    { subject: id, summary: `create API key ${id}`, ...options },
  );
  return { ...key, token: secret };
}

export function revokeApiKey(
  ctx: UsermodClient,
  input: { id: string; revokedBy: string; revokeIn?: number },
  options: RunOptions = {},
): Promise<ApiKeyDTO> {
  const seconds = parse(revokeIn, input.revokeIn ?? 0, 'revoke_in');
  return runFlow(
    ctx,
    'revokeApiKey',
    { id: input.id, revokedBy: input.revokedBy, revokeIn: seconds },
    { subject: input.id, summary: `revoke API key ${input.id}`, ...options },
  );
}

export function deleteApiKey(ctx: UsermodClient, id: string, options: RunOptions = {}): Promise<{ id: string }> {
  return runFlow(ctx, 'deleteApiKey', { id }, { subject: id, summary: `delete API key ${id}`, ...options });
}
