// The `usermod` command: runs usermod's workflows against the configured Temporal cluster and database.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import {
  assignUserRoles,
  connectClient,
  createInvites,
  importInvites,
  createUserAccount,
  createUsers,
  refreshInviteTokens,
  type InviteWithToken,
} from '../client';
import { appDatabaseUrl, loadConfig } from '../config';
import {
  invalidData,
  missingRolesMessage,
  SUPER_ADMIN_ROLE_ID,
  tokenLink,
  UsermodError,
  type NewInvite,
} from '../domain';
import { newInvite, parse } from '../domain/validation';
import { createStore } from '../store';
import { createPrisma } from '../store/prisma';

const config = (() => {
  try {
    return loadConfig();
  } catch (err) {
    process.stderr.write(`usermod: ${(err as Error).message}\n`);
    process.exit(2);
  }
})();
// Set by commands that partly failed; applied explicitly on exit (the SDK's runtime can reset process.exitCode).
let exitCode = 0;

async function withClient<T>(fn: (ctx: Awaited<ReturnType<typeof connectClient>>) => Promise<T>): Promise<T> {
  const ctx = await connectClient(config, config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`);
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

async function withStore<T>(fn: (store: ReturnType<typeof createStore>) => Promise<T>): Promise<T> {
  const prisma = createPrisma(appDatabaseUrl(config), 2);
  try {
    return await fn(createStore(prisma));
  } finally {
    await prisma.$disconnect();
  }
}

const printInvite = (i: InviteWithToken) =>
  console.log(
    `invite ${i.id} for ${i.email}, expires ${i.expires_at}\ntoken: ${i.token}\naccept link: ${tokenLink(config.invites.acceptUrl, i.token)}`,
  );

const program = new Command('usermod')
  .description('Users and invites, each flow a Temporal workflow')
  .showHelpAfterError();

program
  .command('user')
  .description(
    'create a user with an emailpass login, e.g. the first admin (createUserAccountWorkflow); the first user gets Super Admin',
  )
  .requiredOption('-e, --email <email>', "the user's e-mail")
  .requiredOption('-p, --password <password>', 'the login password (at least 8 characters)')
  .option('--first-name <name>')
  .option('--last-name <name>')
  .option(
    '--role <role>',
    'a role (id or name) to grant (assignUserRolesWorkflow); repeatable',
    (v: string, acc: string[]) => [...acc, v],
    [] as string[],
  )
  .action(async (o: { email: string; password: string; firstName?: string; lastName?: string; role: string[] }) => {
    // Roles resolved (and the first user detected) before anything is created: a bad --role creates nothing.
    const { roleIds, first } = await withStore(async (s) => {
      const byName = o.role.length ? (await s.listAndCountRoles({ name: o.role }, { limit: 100 }))[0] : [];
      const ids = o.role.map((r) => byName.find((role) => role.name === r)?.id ?? r);
      const unknown = await s.unknownRoles(ids);
      if (unknown.length) throw invalidData(missingRolesMessage(unknown));
      return { roleIds: ids, first: (await s.listAndCountUsers({}, { limit: 0 }))[1] === 0 };
    });
    const grant = [...new Set([...roleIds, ...(first ? [SUPER_ADMIN_ROLE_ID] : [])])];
    const { user } = await withClient(async (ctx) => {
      const account = await createUserAccount(ctx, {
        email: o.email,
        password: o.password,
        first_name: o.firstName,
        last_name: o.lastName,
      });
      // Granted by the operator running the CLI (the system: no grantor to check).
      if (grant.length) await assignUserRoles(ctx, { userId: account.user.id, roleIds: grant });
      return account;
    });
    console.log(`user ${user.id} created for ${user.email}; log in with POST /auth/user/emailpass`);
    if (grant.length) console.log(`roles: ${grant.join(', ')}`);
  });

program
  .command('invite')
  .description('invite someone (createInvitesWorkflow); prints the token and the accept link')
  .requiredOption('-e, --email <email>', "the invitee's e-mail")
  .action(async (o: { email: string }) => {
    const [invite] = await withClient((ctx) => createInvites(ctx, [{ email: o.email }]));
    printInvite(invite);
  });

const invites = program.command('invites').description('manage invites');

invites
  .command('list')
  .description('list invites (never their tokens)')
  .option('--status <status>', 'pending, accepted, expired or revoked')
  .option('-q, --q <text>', 'search in e-mails')
  .option('--limit <n>', 'how many', '50')
  .action(async (o: { status?: string; q?: string; limit: string }) => {
    const [rows, count] = await withStore((s) =>
      s.listAndCountInvites({ status: o.status as never, q: o.q }, { limit: Number(o.limit), order: '-created_at' }),
    );
    console.table(
      rows.map((i) => ({
        id: i.id,
        email: i.email,
        status: i.status,
        expires_at: i.expires_at,
        delivery: i.delivery_status,
      })),
    );
    console.log(`${rows.length} of ${count}`);
  });

invites
  .command('resend <id>')
  .description('new token and expiry for an invite; earlier tokens stop working')
  .action(async (id: string) => {
    const [invite] = await withClient((ctx) => refreshInviteTokens(ctx, [id]));
    printInvite(invite);
  });

invites
  .command('import <file>')
  .description(
    'invite every row of a CSV file with an `email` column (and optional JSON `metadata`); prints email,invite_id,token,link',
  )
  .option('--batch-size <n>', 'invites per batch of the one bulk call', '500')
  .action(async (file: string, o: { batchSize: string }) => {
    const text = readFileSync(file, 'utf8');
    const rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
    if (rows.length && !('email' in rows[0])) throw invalidData(`${file}: the CSV needs an 'email' column`);
    // Same file, same key: running the import again returns the first results instead of inviting twice.
    const fileKey = createHash('sha256').update(text).digest('hex').slice(0, 16);
    const failures: string[] = [];
    // Each row is checked here, before the flow starts: a bad row is reported, the others go on.
    const good: { line: number; invite: NewInvite }[] = [];
    rows.forEach((row, n) => {
      try {
        const metadata = row.metadata ? (JSON.parse(row.metadata) as Record<string, unknown>) : undefined;
        good.push({ line: n + 2, invite: parse(newInvite, { email: row.email, metadata }, 'invite') });
      } catch (err) {
        failures.push(`line ${n + 2} (${row.email}): ${(err as Error).message}`);
      }
    });
    console.error(`inviting ${good.length} row(s) in one bulk call…`);
    const out: string[] = ['email,invite_id,token,link'];
    // One bulk call (batches inside one flow, all or nothing); e-mails that have a user or a live invite
    // already, or repeat an earlier row, are skipped and reported, as they would fail alone.
    const result = await withClient((ctx) =>
      importInvites(
        ctx,
        good.map((g) => g.invite),
        { idempotencyKey: `import-${fileKey}`, skipExisting: true, batchSize: Number(o.batchSize) },
      ),
    );
    for (const inv of result.invites) {
      out.push([inv.email, inv.id, inv.token, tokenLink(config.invites.acceptUrl, inv.token)].join(','));
    }
    const skipped = new Set(result.skipped);
    for (const g of good.filter((g) => skipped.has(g.invite.email))) {
      failures.push(
        `line ${g.line} (${g.invite.email}): skipped: a user or a live invite has this e-mail, or an earlier row`,
      );
    }
    console.log(out.join('\n'));
    for (const f of failures) console.error(`failed: ${f}`);
    console.error(`${result.invites.length} invited, ${failures.length} failed`);
    if (failures.length) exitCode = 2;
  });

const users = program.command('users').description('manage users');
users
  .command('create')
  .description('create a user without a login (createUsersWorkflow)')
  .requiredOption('--email <email>', "the user's e-mail")
  .option('--first-name <name>')
  .option('--last-name <name>')
  .action(async (o: { email: string; firstName?: string; lastName?: string }) => {
    const [user] = await withClient((ctx) =>
      createUsers(ctx, [{ email: o.email, first_name: o.firstName, last_name: o.lastName }]),
    );
    console.log(JSON.stringify(user, null, 2));
  });

program.parseAsync().then(
  () => process.exit(exitCode),
  (err: Error) => {
    console.error(err instanceof UsermodError ? `error (${err.type}): ${err.message}` : `error: ${err.message}`);
    process.exit(err instanceof UsermodError ? 2 : 1);
  },
);
