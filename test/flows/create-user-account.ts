import { createUserAccount } from '../../client';
import type { FlowScenario } from '../fault-injection';
import { uniqueEmail } from '../harness';

export default [
  {
    name: 'user with a login',
    prepare: async () => {
      const email = uniqueEmail('gen');
      return (ctx) => createUserAccount(ctx, { email, password: 'generic password', first_name: 'Gen' });
    },
  },
] satisfies FlowScenario[];
