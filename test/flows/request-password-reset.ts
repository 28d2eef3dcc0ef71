import { registerEmailpass, runFlow } from '../../client';
import type { FlowScenario } from '../fault-injection';
import { uniqueEmail } from '../harness';

export default [
  {
    name: 'an e-mail with a login',
    prepare: async (ctx) => {
      const email = uniqueEmail('gen');
      await registerEmailpass(ctx, email, 'generic password');
      // The flow itself, awaited: the client's requestPasswordReset answers once it has started.
      return (c) => runFlow(c, 'requestPasswordReset', { email });
    },
  },
] satisfies FlowScenario[];
