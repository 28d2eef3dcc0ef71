import { createUsers } from '../../client';
import type { FlowScenario } from '../fault-injection';
import { uniqueEmail } from '../harness';

export default [
  {
    name: 'two users',
    prepare: async () => {
      const [a, b] = [uniqueEmail('gen'), uniqueEmail('gen')];
      return (ctx) => createUsers(ctx, [{ email: a }, { email: b, first_name: 'B' }]);
    },
  },
] satisfies FlowScenario[];
