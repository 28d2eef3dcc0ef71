import { createUserAccount, removeUserAccount } from '../../client';
import type { FlowScenario } from '../fault-injection';
import { uniqueEmail } from '../harness';

export default [
  {
    name: 'user with a login',
    prepare: async (ctx) => {
      const { user } = await createUserAccount(ctx, { email: uniqueEmail('gen'), password: 'generic password' });
      return (c) => removeUserAccount(c, user.id);
    },
  },
] satisfies FlowScenario[];
