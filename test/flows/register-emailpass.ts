import { registerEmailpass } from '../../client';
import type { FlowScenario } from '../fault-injection';
import { uniqueEmail } from '../harness';

export default [
  {
    name: 'a new login',
    prepare: async () => {
      const email = uniqueEmail('gen');
      return (ctx) => registerEmailpass(ctx, email, 'generic password');
    },
  },
] satisfies FlowScenario[];
