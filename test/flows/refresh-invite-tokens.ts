import { createInvites, refreshInviteTokens } from '../../client';
import type { FlowScenario } from '../fault-injection';
import { uniqueEmail } from '../harness';

export default [
  {
    name: 'resend one invite',
    prepare: async (ctx) => {
      const [invite] = await createInvites(ctx, [{ email: uniqueEmail('gen') }]);
      return (c) => refreshInviteTokens(c, [invite.id]);
    },
  },
] satisfies FlowScenario[];
