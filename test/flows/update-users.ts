import { createUsers, updateUsers } from '../../client';
import type { FlowScenario } from '../fault-injection';
import { uniqueEmail } from '../harness';

export default [
  {
    name: 'names and metadata',
    prepare: async (ctx) => {
      const [user] = await createUsers(ctx, [{ email: uniqueEmail('gen'), first_name: 'Old' }]);
      return (c) =>
        updateUsers(c, [{ id: user.id, first_name: 'New', avatar_url: 'https://x.test/a.png', metadata: { k: 1 } }]);
    },
  },
] satisfies FlowScenario[];
