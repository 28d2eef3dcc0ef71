import { randomUUID } from 'node:crypto';
import { addRolePolicies, createRole } from '../../client';
import { SUPER_ADMIN_POLICY_ID } from '../../domain';
import type { FlowScenario } from '../fault-injection';

export default [
  {
    name: 'a policy to a role',
    prepare: async (ctx) => {
      const role = await createRole(ctx, { role: { name: `gen-${randomUUID()}` } });
      return (c) => addRolePolicies(c, { roleId: role.id, policyIds: [SUPER_ADMIN_POLICY_ID] });
    },
  },
] satisfies FlowScenario[];
