import { createApiKey, deleteApiKey, revokeApiKey } from '../../client';
import type { FlowScenario } from '../fault-injection';

export default [
  {
    name: 'a revoked key',
    prepare: async (ctx) => {
      const key = await createApiKey(ctx, { title: 'gen key', createdBy: 'user_system' });
      await revokeApiKey(ctx, { id: key.id, revokedBy: 'user_system' });
      return (c) => deleteApiKey(c, key.id);
    },
  },
] satisfies FlowScenario[];
