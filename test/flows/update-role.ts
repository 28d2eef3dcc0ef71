import { randomUUID } from 'node:crypto';
import { createRole, updateRole } from '../../client';
import type { FlowScenario } from '../fault-injection';

export default [
  {
    name: 'name, description and metadata',
    prepare: async (ctx) => {
      const role = await createRole(ctx, { role: { name: `gen-${randomUUID()}`, description: 'old' } });
      return (c) => updateRole(c, { id: role.id, name: `gen-${randomUUID()}`, description: 'new', metadata: { k: 2 } });
    },
  },
] satisfies FlowScenario[];
