import { randomUUID } from 'node:crypto';
import { createRole, deleteRole } from '../../client';
import type { FlowScenario } from '../fault-injection';

export default [
  {
    name: 'a role',
    prepare: async (ctx) => {
      const role = await createRole(ctx, { role: { name: `gen-${randomUUID()}` } });
      return (c) => deleteRole(c, role.id);
    },
  },
] satisfies FlowScenario[];
