import { UsermodError } from '../domain';
import { createStore } from '../store';
import { createPrisma } from '../store/prisma';
import { uniqueEmail } from './harness';

const prisma = createPrisma(process.env.DATABASE_URL!);
const store = createStore(prisma);
afterAll(() => prisma.$disconnect());

const err = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e) => e as UsermodError,
  );

describe('user store', () => {
  test('createUsers stores lower-cased e-mails and refuses a case-insensitive duplicate among live users', async () => {
    const email = uniqueEmail('Mixed');
    const [u] = await store.createUsers([{ email: `  ${email.toUpperCase()} ` }]);
    expect(u.email).toBe(email.toLowerCase());
    expect(await err(store.createUsers([{ email }]))).toMatchObject({
      type: 'invalid_data',
      message: `User with email: ${email.toLowerCase()}, already exists.`,
    });
    // Twice in one call is refused too, and nothing of that call is written.
    const other = uniqueEmail();
    expect(await err(store.createUsers([{ email: other }, { email: other.toUpperCase() }]))).toMatchObject({
      message: `User with email: ${other}, already exists.`,
    });
    expect(await store.listUsers({ email: other })).toEqual([]);
  });

  test('a soft-deleted user is hidden and its e-mail can be used again; restore refuses a clash', async () => {
    const email = uniqueEmail();
    const [u] = await store.createUsers([{ email }]);
    expect(await store.softDeleteUsers([u.id, 'user_missing'])).toEqual([u.id]);
    expect(await err(store.retrieveUser(u.id))).toMatchObject({
      type: 'not_found',
      message: `User with id: ${u.id} was not found`,
    });
    expect((await store.retrieveUser(u.id, { withDeleted: true })).deleted_at).not.toBeNull();
    const [again] = await store.createUsers([{ email }]);
    expect(again.id).not.toBe(u.id);
    expect(await err(store.restoreUsers([u.id]))).toMatchObject({
      type: 'invalid_data',
      message: 'Cannot restore user: another live user has the same email.',
    });
    await store.deleteUsers([again.id]);
    await store.restoreUsers([u.id]);
    expect((await store.retrieveUser(u.id)).deleted_at).toBeNull();
  });

  test("Medusa's messages: retrieve without id, retrieve / update a missing user", async () => {
    expect(await err(store.retrieveUser(''))).toMatchObject({
      type: 'invalid_data',
      message: 'user - id must be defined',
    });
    expect(await err(store.retrieveUser('user_nope'))).toMatchObject({
      type: 'not_found',
      message: 'User with id: user_nope was not found',
    });
    expect(await err(store.updateUsers([{ id: 'user_nope', first_name: 'x' }]))).toMatchObject({
      type: 'not_found',
      message: 'User with id "user_nope" not found',
    });
  });

  test('updateUsers changes only the given fields and refuses unknown ones (email is not updatable)', async () => {
    const [u] = await store.createUsers([
      { email: uniqueEmail(), first_name: 'A', last_name: 'B', metadata: { a: 1 } },
    ]);
    const [updated] = await store.updateUsers([{ id: u.id, last_name: null, metadata: { b: 2 } }]);
    expect(updated).toMatchObject({ first_name: 'A', last_name: null, metadata: { b: 2 } });
    expect(Date.parse(updated.updated_at)).toBeGreaterThanOrEqual(Date.parse(u.updated_at));
    expect(await err(store.updateUsers([{ id: u.id, email: 'x@y.z' } as never]))).toMatchObject({
      type: 'invalid_data',
      message: "Invalid user update: Unrecognized fields: 'email'",
    });
  });

  test('hard delete removes the row', async () => {
    const [u] = await store.createUsers([{ email: uniqueEmail() }]);
    await store.deleteUsers([u.id]);
    expect(await prisma.user.findUnique({ where: { id: u.id } })).toBeNull();
  });

  test('list filters: id, email (case-insensitive), q over names and e-mail, paging, order, count', async () => {
    const tag = uniqueEmail('').slice(1, 9);
    const made = await store.createUsers([
      { email: `zed-${tag}@example.com`, first_name: 'Zed' },
      { email: `amy-${tag}@example.com`, first_name: 'Amy', last_name: `Q${tag}` },
      { email: `bo-${tag}@example.com`, last_name: 'Bo' },
    ]);
    const q = await store.listUsers({ q: tag.toUpperCase() }, { order: 'email' });
    expect(q.map((u) => u.email)).toEqual([
      `amy-${tag}@example.com`,
      `bo-${tag}@example.com`,
      `zed-${tag}@example.com`,
    ]);
    expect((await store.listUsers({ q: `q${tag}` })).map((u) => u.first_name)).toEqual(['Amy']);
    expect((await store.listUsers({ email: `ZED-${tag}@example.com` })).map((u) => u.id)).toEqual([made[0].id]);
    expect((await store.listUsers({ id: [made[1].id, made[2].id] }, { order: '-email' })).map((u) => u.id)).toEqual(
      [made[0], made[2], made[1]].slice(1).map((u) => u.id),
    );
    const [page, count] = await store.listAndCountUsers({ q: tag }, { limit: 2, offset: 1, order: { email: 'DESC' } });
    expect(count).toBe(3);
    expect(page.map((u) => u.email)).toEqual([`bo-${tag}@example.com`, `amy-${tag}@example.com`]);
    expect(await err(store.listUsers({}, { order: 'password' }))).toMatchObject({
      type: 'invalid_data',
      message: expect.stringContaining("Invalid order field 'password'"),
    });
  });
});
