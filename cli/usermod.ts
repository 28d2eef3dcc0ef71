// The `usermod` command: runs usermod's workflows against the configured Temporal cluster.
import { Command } from 'commander';
import { connectClient, createUsers } from '../client';
import { loadConfig } from '../config';
import { UsermodError } from '../store/errors';

async function withClient<T>(fn: (ctx: Awaited<ReturnType<typeof connectClient>>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const ctx = await connectClient(config, config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`);
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

const program = new Command('usermod').description('Users and invites, each flow a Temporal workflow');

const users = program.command('users').description('manage users');
users
  .command('create')
  .description('create a user (runs createUsersWorkflow)')
  .requiredOption('--email <email>', "the user's e-mail")
  .option('--first-name <name>')
  .option('--last-name <name>')
  .action(async (o: { email: string; firstName?: string; lastName?: string }) => {
    const [user] = await withClient((ctx) => createUsers(ctx, [{ email: o.email, first_name: o.firstName, last_name: o.lastName }]));
    console.log(JSON.stringify(user, null, 2));
  });

program.parseAsync().catch((err: Error) => {
  console.error(err instanceof UsermodError ? `error (${err.type}): ${err.message}` : `error: ${err.message}`);
  process.exit(err instanceof UsermodError ? 2 : 1);
});
