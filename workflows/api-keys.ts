import type { ApiKeyDTO, CreateApiKeyInput, DeleteApiKeyInput, RevokeApiKeyInput } from '../domain';
import { activities, compensations } from './activity-options';
import { event, recordEvents, runSaga } from './saga';

export async function createApiKeyWorkflow(input: CreateApiKeyInput): Promise<ApiKeyDTO> {
  return runSaga(async (saga) => {
    // Creates the key (its hash, sealed in history) with its roles, never beyond the creator's own.
    const key = await saga.step('create the key', {
      undo: () => compensations.purgeApiKey(input.id),
      run: () => activities.createApiKey(input),
    });
    await recordEvents(saga, [event('api_key.created', { id: input.id, created_by: input.createdBy })]);
    return key;
  });
}

export async function revokeApiKeyWorkflow(input: RevokeApiKeyInput): Promise<ApiKeyDTO> {
  return runSaga(async (saga) => {
    const before = await activities.apiKeyState(input.id);
    // Fixed in history (workflow time), so a retried step finds its own revocation.
    const revokedAt = new Date(Date.now() + input.revokeIn * 1000).toISOString();
    // Revokes the key as of revokedAt (a grace period when later than now).
    const key = await saga.step('revoke the key', {
      undo: () => compensations.restoreApiKeyState(before),
      run: () => activities.revokeApiKey({ id: input.id, revokedBy: input.revokedBy, revokedAt }),
    });
    await recordEvents(saga, [event('api_key.revoked', { id: input.id, revoked_by: input.revokedBy })]);
    return key;
  });
}

export async function deleteApiKeyWorkflow(input: DeleteApiKeyInput): Promise<{ id: string }> {
  return runSaga(async (saga) => {
    const before = await activities.apiKeyState(input.id);
    // Soft-deletes the key (only a revoked one).
    await saga.step('delete the key', {
      undo: () => compensations.restoreApiKeyState(before),
      run: () => activities.softDeleteApiKey(input.id),
    });
    await recordEvents(saga, [event('api_key.deleted', { id: input.id })]);
    return { id: input.id };
  });
}
