import { createApiKey, revokeApiKey } from '../../client';
import type { FlowScenario } from '../fault-injection';

export default [
  {
    name: 'with a grace period',
    prepare: async (ctx) => {
      const key = await createApiKey(ctx, { title: 'gen key', createdBy: 'user_system' });
      return (c) => revokeApiKey(c, { id: key.id, revokedBy: 'user_system', revokeIn: 60 });
    },
  },
] satisfies FlowScenario[];
