import { randomUUID } from 'node:crypto';
import { assignUserRoles, createRole, createUsers, removeUserRoles } from '../../client';
import type { FlowScenario } from '../fault-injection';
import { uniqueEmail } from '../harness';

export default [
  {
    name: 'a role from a user',
    prepare: async (ctx) => {
      const role = await createRole(ctx, { role: { name: `gen-${randomUUID()}` } });
      const [user] = await createUsers(ctx, [{ email: uniqueEmail('gen') }]);
      await assignUserRoles(ctx, { userId: user.id, roleIds: [role.id] });
      return (c) => removeUserRoles(c, { userId: user.id, roleIds: [role.id] });
    },
  },
] satisfies FlowScenario[];
