import { registerEmailpass, requestPasswordReset } from '../../client';
import type { FlowScenario } from '../fault-injection';
import { uniqueEmail } from '../harness';

export default [
  {
    name: 'an e-mail with a login',
    prepare: async (ctx) => {
      const email = uniqueEmail('gen');
      await registerEmailpass(ctx, email, 'generic password');
      return (c) => requestPasswordReset(c, email);
    },
  },
] satisfies FlowScenario[];
