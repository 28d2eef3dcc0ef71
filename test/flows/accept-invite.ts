import { randomUUID } from 'node:crypto';
import { acceptInvite, createInvites, createRole, registerEmailpass } from '../../client';
import type { FlowScenario } from '../fault-injection';
import { uniqueEmail } from '../harness';

const PASSWORD = 'generic password';

export default [
  {
    name: 'one step (a password)',
    prepare: async (ctx) => {
      const [invite] = await createInvites(ctx, [{ email: uniqueEmail('gen') }]);
      return (c) => acceptInvite(c, { token: invite.token, password: PASSWORD, user: { first_name: 'Gen' } });
    },
  },
  {
    name: "two steps (Medusa's: a registered login)",
    prepare: async (ctx) => {
      const [invite] = await createInvites(ctx, [{ email: uniqueEmail('gen') }]);
      const { authIdentityId } = await registerEmailpass(ctx, invite.email, PASSWORD);
      return (c) => acceptInvite(c, { token: invite.token, authIdentityId });
    },
  },
  {
    name: "one step, replacing someone else's unlinked login of the invitee's e-mail",
    prepare: async (ctx) => {
      const [invite] = await createInvites(ctx, [{ email: uniqueEmail('gen') }]);
      await registerEmailpass(ctx, invite.email, 'squatter password 1');
      return (c) => acceptInvite(c, { token: invite.token, password: PASSWORD });
    },
  },
  {
    name: 'one step, with the roles the invite carries (RBAC)',
    prepare: async (ctx) => {
      const role = await createRole(ctx, { role: { name: `gen-${randomUUID()}` } });
      const [invite] = await createInvites(ctx, [{ email: uniqueEmail('gen'), roles: [role.id] }]);
      return (c) => acceptInvite(c, { token: invite.token, password: PASSWORD });
    },
  },
] satisfies FlowScenario[];
