import { createApiKey, createRole } from '../../client';
import type { FlowScenario } from '../fault-injection';
import { randomUUID } from 'node:crypto';

export default [
  {
    name: 'a key with a role (granted by the system)',
    prepare: async (ctx) => {
      const role = await createRole(ctx, { role: { name: `gen-${randomUUID()}` } });
      return (c) => createApiKey(c, { title: 'gen key', roleIds: [role.id], createdBy: 'user_system' });
    },
  },
] satisfies FlowScenario[];
