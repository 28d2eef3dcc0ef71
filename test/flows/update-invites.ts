import { createInvites, updateInvites } from '../../client';
import type { FlowScenario } from '../fault-injection';
import { uniqueEmail } from '../harness';

export default [
  {
    name: 'update the metadata of two invites',
    prepare: async (ctx) => {
      const invites = await createInvites(ctx, [{ email: uniqueEmail('upd') }, { email: uniqueEmail('upd') }]);
      return (c) =>
        updateInvites(
          c,
          invites.map((i) => ({ id: i.id, metadata: { team: 'ops' } })),
        );
    },
  },
] satisfies FlowScenario[];
