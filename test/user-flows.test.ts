import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../activities';
import { authenticateEmailpass } from '../auth';
import { createUserAccount, removeUserAccount, updateUsers } from '../client';
import { openHarness, snapshot, uniqueEmail, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.close());

const PASSWORD = 'user flows password';
const boom = (step: string) => async () => {
  throw ApplicationFailure.nonRetryable(`injected failure after ${step}`, 'injected');
};
const failed = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e) => e as { type?: string; message: string },
  );

describe('updateUsersWorkflow', () => {
  test('updates and records user.updated; a failure after the update puts every field back', async () => {
    const { user } = await h.withWorker((ctx) =>
      createUserAccount(ctx, { email: uniqueEmail('upd'), password: PASSWORD, first_name: 'Old' }),
    );
    const [updated] = await h.withWorker((ctx) =>
      updateUsers(ctx, [{ id: user.id, first_name: 'New', metadata: { k: 1 } }]),
    );
    expect(updated).toMatchObject({ first_name: 'New', metadata: { k: 1 } });
    expect((await h.store.listEvents({ name: 'user.updated' })).some((e) => e.payload.id === user.id)).toBe(true);

    const before = await snapshot(h.prisma);
    await failed(
      h.withWorker((ctx) => updateUsers(ctx, [{ id: user.id, first_name: 'Newer', avatar_url: 'https://x/y.png' }]), {
        recordEvents: boom('update'),
      }),
    );
    expect(await snapshot(h.prisma)).toEqual(before);
    expect(await failed(h.withWorker((ctx) => updateUsers(ctx, [{ id: 'user_nope', first_name: 'x' }])))).toMatchObject(
      { type: 'not_found', message: 'User with id "user_nope" not found' },
    );
  });
});

describe('removeUserAccountWorkflow', () => {
  test.each([
    ['soft delete', 'identitySnapshots'],
    ['delete logins', 'recordEvents'],
  ] as [string, keyof Activities][])(
    'a failure after "%s" restores the user and its login exactly',
    async (step, next) => {
      const email = uniqueEmail('rm');
      const { user, authIdentityId } = await h.withWorker((ctx) =>
        createUserAccount(ctx, { email, password: PASSWORD }),
      );
      const before = await snapshot(h.prisma);
      const e = await failed(h.withWorker((ctx) => removeUserAccount(ctx, user.id), { [next]: boom(step) }));
      expect((e as { cause?: { message: string } }).cause?.message ?? e.message).toContain(
        `injected failure after ${step}`,
      );
      expect(await snapshot(h.prisma)).toEqual(before);
      expect(await authenticateEmailpass(h.store, email, PASSWORD)).toEqual({ authIdentityId, userId: user.id });
    },
  );

  test('removes the user and its login, so the e-mail can register and be invited again', async () => {
    const email = uniqueEmail('gone');
    const { user } = await h.withWorker((ctx) => createUserAccount(ctx, { email, password: PASSWORD }));
    await h.withWorker((ctx) => removeUserAccount(ctx, user.id));
    expect((await h.store.retrieveUser(user.id, { withDeleted: true })).deleted_at).not.toBeNull();
    expect(await failed(authenticateEmailpass(h.store, email, PASSWORD))).toMatchObject({
      message: 'Invalid email or password',
    });
    expect((await h.store.listEvents({ name: 'user.deleted' })).some((ev) => ev.payload.id === user.id)).toBe(true);
    const again = await h.withWorker((ctx) => createUserAccount(ctx, { email, password: PASSWORD }));
    expect(again.user.id).not.toBe(user.id);
  });
});
