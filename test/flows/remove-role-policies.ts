import { randomUUID } from 'node:crypto';
import { createRole, removeRolePolicies } from '../../client';
import { SUPER_ADMIN_POLICY_ID } from '../../domain';
import type { FlowScenario } from '../fault-injection';

export default [
  {
    name: 'a policy from a role',
    prepare: async (ctx) => {
      const role = await createRole(ctx, { role: { name: `gen-${randomUUID()}` }, policyIds: [SUPER_ADMIN_POLICY_ID] });
      return (c) => removeRolePolicies(c, { roleId: role.id, policyIds: [SUPER_ADMIN_POLICY_ID] });
    },
  },
] satisfies FlowScenario[];
