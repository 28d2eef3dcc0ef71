import { randomUUID } from 'node:crypto';
import { assignUserRoles, createRole, createUsers } from '../../client';
import type { FlowScenario } from '../fault-injection';
import { uniqueEmail } from '../harness';

export default [
  {
    name: 'a role to a user',
    prepare: async (ctx) => {
      const role = await createRole(ctx, { role: { name: `gen-${randomUUID()}` } });
      const [user] = await createUsers(ctx, [{ email: uniqueEmail('gen') }]);
      return (c) => assignUserRoles(c, { userId: user.id, roleIds: [role.id] });
    },
  },
] satisfies FlowScenario[];
