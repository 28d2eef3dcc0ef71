import { randomUUID } from 'node:crypto';
import { createRole } from '../../client';
import { SUPER_ADMIN_POLICY_ID } from '../../domain';
import type { FlowScenario } from '../fault-injection';

export default [
  {
    name: 'a role with a policy',
    prepare: async () => {
      const name = `gen-${randomUUID()}`;
      return (c) => createRole(c, { role: { name, metadata: { k: 1 } }, policyIds: [SUPER_ADMIN_POLICY_ID] });
    },
  },
] satisfies FlowScenario[];
