import { registerEmailpass, updateEmailpassPassword } from '../../client';
import type { FlowScenario } from '../fault-injection';
import { uniqueEmail } from '../harness';

export default [
  {
    name: 'a new password',
    prepare: async (ctx) => {
      const email = uniqueEmail('gen');
      await registerEmailpass(ctx, email, 'generic password');
      return (c) => updateEmailpassPassword(c, email, 'another generic password');
    },
  },
] satisfies FlowScenario[];
