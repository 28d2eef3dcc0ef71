import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { authenticateEmailpass } from '../../auth';
import { createRole, createUsers, removeUserAccount } from '../../client';
import { grantRoles, uniqueEmail } from '../harness';
import { accessibilityProblems, linkIn, openWebStack, screenshot, TEMPORAL_UI, type WebStack } from './web-stack';

let s: WebStack;
beforeAll(async () => {
  s = await openWebStack();
});
afterAll(async () => {
  await s?.close();
});

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).innerText();
const status = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();
const runsUrl = (attribute: string, id: string) =>
  `${TEMPORAL_UI}/namespaces/default/workflows?query=${encodeURIComponent(`${attribute} = "${id}"`)}`;

describe('signing in and out', () => {
  test('the console needs a session; a wrong password is refused in words; sign out really ends the session', async () => {
    const page = await s.newPage();
    await page.goto('/app/users?q=x');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/users?q=x');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'login');

    await page.getByLabel('E-mail').fill(s.admin.email);
    await page.getByLabel('Password').fill('not my password');
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Invalid email or password' }).waitFor();

    await page.getByLabel('Password').fill(s.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(`${new URL(page.url()).pathname}${new URL(page.url()).search}`).toBe('/app/users?q=x');
    // The session is an httpOnly cookie: the page's scripts never hold the bearer.
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'usermod_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('usermod_session');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await status(page, 'You are signed out.');
    expect(await heading(page)).toBe('Sign in');
    expect((await page.context().cookies()).find((c) => c.name === 'usermod_session')).toBeUndefined();
    expect(await page.evaluate(() => fetch('/admin/users/me').then((r) => r.status))).toBe(401);
    await page.goto('/app/users');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });
});

describe('keyboard', () => {
  test('sign in and reach the invites with the keyboard alone: Tab moves through labelled fields, Enter submits and follows links', async () => {
    const page = await s.newPage();
    await page.goto('/app/login');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | null;
        return el?.labels?.[0]?.textContent ?? el?.textContent ?? '';
      });
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('E-mail');
    await page.keyboard.type(s.admin.email);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Password');
    await page.keyboard.type(s.admin.password);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    // A fresh load starts at the top: the skip link first, then the menu.
    await page.reload();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Skip to content');
    for (let i = 0; i < 10 && (await focused()) !== 'Invites'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('Invites');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Invites', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
  });
});

describe('users', () => {
  test('search, paging, and the empty state', async () => {
    const tag = `page${randomUUID().slice(0, 6)}`;
    await createUsers(
      s.ctx,
      Array.from({ length: 23 }, (_, i) => ({
        email: `${tag}-${String(i).padStart(2, '0')}@example.com`,
        first_name: `Member ${i}`,
      })),
    );
    const page = await s.newPage();
    await s.signIn(page, s.admin);
    await page.goto('/app/users');
    await page.getByRole('searchbox', { name: 'Search users' }).fill(tag);
    await page.getByRole('searchbox', { name: 'Search users' }).press('Enter');
    await page.getByText('Showing 1–20 of 23').waitFor();
    expect(await page.locator('tbody tr').count()).toBe(20);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Showing 21–23 of 23').waitFor();
    expect(await page.locator('tbody tr').count()).toBe(3);
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.goBack();
    await page.getByText('Showing 1–20 of 23').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByRole('searchbox', { name: 'Search users' }).fill('nobody-matches-this');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('No users match “nobody-matches-this”.').waitFor();
    await page.getByRole('button', { name: 'Clear search' }).click();
    await page.locator('tbody tr').first().waitFor();
    await screenshot(page, 'users');
  });

  test('edit names, avatar and metadata (bad JSON is pointed out at its field); delete another user, never yourself', async () => {
    const colleague = await s.newUser('colleague', { first_name: 'Katherine' });
    const page = await s.newPage();
    await s.signIn(page, s.admin);
    await page.goto(`/app/users?q=${encodeURIComponent(colleague.email)}`);
    await page.getByRole('link', { name: 'Katherine' }).click();
    expect(await heading(page)).toBe('Katherine');
    expect(await page.getByRole('link', { name: /Runs of this user in Temporal/ }).getAttribute('href')).toBe(
      runsUrl('UsermodUserIds', colleague.id),
    );

    await page.getByLabel('Last name').fill('Johnson');
    await page.getByLabel('Avatar URL').fill('https://example.com/k.png');
    await page.getByLabel('Metadata (JSON object)').fill('{"team": ');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const metadata = page.getByLabel('Metadata (JSON object)');
    await page.locator('.field-error').waitFor();
    expect(await metadata.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field-error').innerText()).toMatch(/^Metadata is not valid JSON/);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('metadata');

    await metadata.fill('{"team": "navigation", "level": 3}');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await status(page, 'Changes saved.');
    expect(await heading(page)).toBe('Katherine Johnson');
    expect(await s.h.store.retrieveUser(colleague.id)).toMatchObject({
      first_name: 'Katherine',
      last_name: 'Johnson',
      avatar_url: 'https://example.com/k.png',
      metadata: { team: 'navigation', level: 3 },
    });
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'user-edit');

    await page.getByRole('button', { name: 'Delete user' }).click();
    await page.getByRole('button', { name: 'Yes, delete this user' }).click();
    await status(page, `User ${colleague.email} deleted.`);
    expect(await heading(page)).toBe('Users');
    await expect(s.h.store.retrieveUser(colleague.id)).rejects.toMatchObject({ type: 'not_found' });
    await expect(authenticateEmailpass(s.h.store, colleague.email, colleague.password)).rejects.toMatchObject({
      type: 'unauthorized',
    });

    await page.getByRole('link', { name: 'Grace Hopper' }).first().click();
    expect(await heading(page)).toBe('Grace Hopper');
    expect(await page.getByText('This is you.').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Delete user' }).count()).toBe(0);
  });
});

describe('invites', () => {
  test('invite (API refusals shown in words), who invited and until when, resend supersedes the old link, copy link, revoke', async () => {
    const page = await s.newPage();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.base });
    await s.signIn(page, s.admin);
    await page.goto('/app/invites');
    const emailField = page.getByRole('textbox', { name: 'E-mail' });

    await emailField.fill(s.admin.email);
    await emailField.press('Enter');
    await page
      .getByRole('alert')
      .filter({ hasText: `User account for following email(s) already exist: ${s.admin.email}` })
      .waitFor();

    const email = uniqueEmail('grace');
    await emailField.fill(email);
    await emailField.press('Enter');
    await status(page, `Invite sent to ${email}.`);
    const first = linkIn(await s.mailTo(email, /invited/));
    expect(await page.locator(`[data-invite-link="${email}"]`).inputValue()).toBe(first);

    const row = page.locator('tbody tr').filter({ hasText: email });
    await row.waitFor();
    expect(await row.innerText()).toContain('Pending');
    expect(await row.innerText()).toContain('by Grace Hopper');
    const [invite] = await s.h.store.listInvites({ email });
    expect(await row.locator('td').nth(2).innerText()).toBe(
      new Intl.DateTimeFormat('en-US', {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZoneName: 'short',
        timeZone: 'UTC',
      }).format(new Date(invite.expires_at)),
    );
    expect(await row.getByRole('link', { name: /Runs in Temporal/ }).getAttribute('href')).toBe(
      runsUrl('UsermodInviteIds', invite.id),
    );
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'invites');

    const beforeResend = Date.now();
    await row.getByRole('button', { name: `Resend invite to ${email}` }).click();
    await status(page, `Invite to ${email} sent again. The earlier link no longer works.`);
    const second = linkIn(await s.mailTo(email, /invited/, beforeResend));
    expect(second).not.toBe(first);
    await row.getByRole('button', { name: `Copy invite link for ${email}` }).click();
    await row.getByText('Link copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(second);

    const invitee = await s.newPage();
    await invitee.goto(first);
    expect(await heading(invitee)).toBe('This invite link has been replaced');
    expect(await accessibilityProblems(invitee)).toEqual([]);
    await screenshot(invitee, 'invite-superseded');
    await invitee.goto(second);
    expect(await heading(invitee)).toBe('Accept your invite');

    await row.getByRole('button', { name: `Revoke invite to ${email}` }).click();
    // The confirmation takes the focus, so Enter confirms.
    await page.keyboard.press('Enter');
    await status(page, `Invite to ${email} revoked. Its link no longer works.`);
    await row.waitFor({ state: 'detached' });
    await page.getByLabel('Status').selectOption('revoked');
    await page.locator('tbody tr').filter({ hasText: email }).getByText('Revoked').waitFor();
    expect(new URL(page.url()).search).toBe('?status=revoked');

    await invitee.goto(second);
    expect(await heading(invitee)).toBe('This invite has been revoked');
    await screenshot(invitee, 'invite-revoked');
  });
});

describe('invites: who invited', () => {
  test('an inviter who has since been deleted is looked up once and shown as nobody', async () => {
    const other = await s.newUser('inviter', { first_name: 'Mary' });
    // RBAC: an inviter needs invite:* (and user:read for the console's lookups).
    const policies = await s.h.prisma.rbacPolicy.findMany({ where: { key: { in: ['invite:*', 'user:read'] } } });
    const role = await createRole(s.ctx, {
      role: { name: `inviter-${other.id}` },
      policyIds: policies.map((p) => p.id),
    });
    await grantRoles(s.h, other.id, [role.id]);
    const email = uniqueEmail('orphan');
    const theirs = await s.newPage();
    await s.signIn(theirs, other);
    await theirs.goto('/app/invites');
    await theirs.getByRole('textbox', { name: 'E-mail' }).fill(email);
    await theirs.getByRole('textbox', { name: 'E-mail' }).press('Enter');
    await status(theirs, `Invite sent to ${email}.`);
    expect(await theirs.locator('tbody tr').filter({ hasText: email }).innerText()).toContain('by Mary');
    await removeUserAccount(s.ctx, other.id);

    const page = await s.newPage();
    await s.signIn(page, s.admin);
    const lookups: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/admin/users' && new URL(r.url()).searchParams.has('id'))
        lookups.push(r.url());
    });
    await page.goto('/app/invites');
    const row = page.locator('tbody tr').filter({ hasText: email });
    await row.waitFor();
    await page.waitForLoadState('networkidle');
    expect(lookups).toHaveLength(1);
    expect(await row.innerText()).not.toContain('by ');
  });
});

describe('RBAC views (the permissions answer is simulated in the browser until the server has RBAC)', () => {
  test('without RBAC on the server (404) every signed-in user sees everything', async () => {
    const page = await s.newPage();
    await s.signIn(page, s.admin);
    const real = await page.evaluate(() => fetch('/admin/rbac/me/permissions').then((r) => r.status));
    if (real === 404) {
      expect(await page.getByRole('navigation', { name: 'Main' }).innerText()).toMatch(/Users\s+Invites$/);
    } else {
      expect(real).toBe(200);
    }
  });

  test('no permission at all: "No permissions yet"; a missing one: "Access denied" naming it', async () => {
    const page = await s.newPage();
    let permissions: string[] = [];
    await page.route('**/admin/rbac/me/permissions', (route) => route.fulfill({ json: { permissions } }));
    await s.signIn(page, s.admin);
    await page.getByRole('heading', { name: 'No permissions yet' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/no-permissions');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').count()).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'no-permissions');

    permissions = ['user:read'];
    await page.goto('/app/invites');
    await page.getByRole('heading', { name: 'Access denied' }).waitFor();
    expect(await page.locator('.denied').innerText()).toContain('invite:read');
    expect(await page.getByRole('navigation', { name: 'Main' }).innerText()).toBe('Users');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'access-denied');

    await page.goto('/app/');
    expect(await heading(page)).toBe('Users');
    // Read but no update: the user page shows the user without its form.
    await page.goto(`/app/users/${s.admin.id}`);
    await page.getByText('You may see this user but not edit it.').waitFor();
    expect(await page.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
  });
});
