import { createInvites, deleteInvites } from '../../client';
import type { FlowScenario } from '../fault-injection';
import { uniqueEmail } from '../harness';

export default [
  {
    name: 'revoke one invite',
    prepare: async (ctx) => {
      const [invite] = await createInvites(ctx, [{ email: uniqueEmail('gen') }]);
      return (c) => deleteInvites(c, [invite.id]);
    },
  },
] satisfies FlowScenario[];
