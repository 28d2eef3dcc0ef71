import { ApplicationFailure } from '@temporalio/common';
import { createActivities } from '../activities';
import { createUsers } from '../client';
import { UsermodError } from '../domain';
import { openHarness, snapshot, testDeps, uniqueEmail, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.close());

describe('createUsersWorkflow', () => {
  test('creates the users and records user.created once the flow succeeds', async () => {
    const a = uniqueEmail('Ada');
    const b = uniqueEmail('bob');
    const users = await h.withWorker((ctx) =>
      createUsers(ctx, [
        { email: a.toUpperCase(), first_name: 'Ada' },
        { email: b, last_name: 'B', metadata: { team: 'ops' } },
      ]),
    );
    expect(users).toHaveLength(2);
    expect(users[0]).toMatchObject({ email: a.toLowerCase(), first_name: 'Ada', last_name: null, deleted_at: null });
    expect(users[1]).toMatchObject({ email: b, last_name: 'B', metadata: { team: 'ops' } });
    for (const u of users) expect(u.id).toMatch(/^user_[0-9A-HJKMNP-TV-Z]{26}$/);

    const stored = await h.store.listUsers({ id: users.map((u) => u.id) });
    expect(stored.map((u) => u.email).sort()).toEqual([a.toLowerCase(), b].sort());
    const events = await h.store.listEvents({ name: 'user.created' });
    for (const u of users) expect(events.filter((e) => e.payload.id === u.id)).toHaveLength(1);
  });

  test('a duplicate e-mail fails fast with a clear error and writes nothing', async () => {
    const email = uniqueEmail('dup');
    await h.withWorker((ctx) => createUsers(ctx, [{ email }]));
    const before = await snapshot(h.prisma);

    const started = Date.now();
    const err = await h
      .withWorker((ctx) => createUsers(ctx, [{ email: uniqueEmail() }, { email: email.toUpperCase() }]))
      .catch((e) => e);
    expect(err).toBeInstanceOf(UsermodError);
    expect(err).toMatchObject({ type: 'invalid_data', message: `User with email: ${email}, already exists.` });
    // Non-retryable: no backoff loop before the answer.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await snapshot(h.prisma)).toEqual(before);
  });

  test('invalid data is refused with a message naming the field', async () => {
    const before = await snapshot(h.prisma);
    const err = await h.withWorker((ctx) => createUsers(ctx, [{ email: 'not-an-email' }])).catch((e) => e);
    expect(err).toMatchObject({ type: 'invalid_data', message: "Invalid user: email: Invalid email: 'not-an-email'" });
    expect(await snapshot(h.prisma)).toEqual(before);
  });

  test('a failure after the create step compensates: the database is exactly as before', async () => {
    const before = await snapshot(h.prisma);
    const real = createActivities(testDeps(h.store));
    const err = await h
      .withWorker((ctx) => createUsers(ctx, [{ email: uniqueEmail() }, { email: uniqueEmail() }]), {
        // The users and their events commit together (the outbox), then the step is reported failed.
        createUsersWithEvents: async (users, events) => {
          await real.createUsersWithEvents(users, events);
          throw ApplicationFailure.nonRetryable('lost after the commit', 'injected');
        },
      })
      .catch((e) => e);
    expect(String(err?.cause?.message ?? err)).toContain('lost after the commit');
    expect(await snapshot(h.prisma)).toEqual(before);
  });

  test('a create retried after it committed still yields one user', async () => {
    const email = uniqueEmail('retry');
    let attempts = 0;
    const real = createActivities(testDeps(h.store));
    const users = await h.withWorker((ctx) => createUsers(ctx, [{ email }]), {
      // The first attempt commits, then its completion is "lost": Temporal retries it.
      createUsersWithEvents: async (input, events) => {
        attempts += 1;
        const out = await real.createUsersWithEvents(input, events);
        if (attempts === 1) throw new Error('connection reset after commit');
        return out;
      },
    });
    expect(attempts).toBe(2);
    expect(await h.prisma.user.count({ where: { email } })).toBe(1);
    expect(users[0].email).toBe(email);
    expect(
      await h.prisma.event.count({ where: { name: 'user.created', payload: { equals: { id: users[0].id } } } }),
    ).toBe(1);
  });
});
