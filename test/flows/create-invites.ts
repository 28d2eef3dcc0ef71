import { createInvites } from '../../client';
import type { FlowScenario } from '../fault-injection';
import { uniqueEmail } from '../harness';

export default [
  {
    name: 'one invite, delivered',
    prepare: async () => {
      const email = uniqueEmail('gen');
      return (ctx) => createInvites(ctx, [{ email, metadata: { team: 'gen' } }]);
    },
  },
] satisfies FlowScenario[];
