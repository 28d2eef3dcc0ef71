import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { hashToken, signInviteToken } from '../../auth/invite-token';
import { createInvites, createRole } from '../../client';
import { testInviteTokens, uniqueEmail } from '../harness';
import { accessibilityProblems, linkIn, openWebStack, screenshot, type WebStack } from './web-stack';

let s: WebStack;
// RBAC: an invitee lands in the console's user list only with a role that reads users; the invites carry it.
let reader: { id: string; name: string };
beforeAll(async () => {
  s = await openWebStack();
  const policies = await s.h.prisma.rbacPolicy.findMany({ where: { key: 'user:read' } });
  reader = await createRole(s.ctx, {
    role: { name: `Reader ${randomUUID().slice(0, 8)}` },
    policyIds: policies.map((p) => p.id),
  });
});
afterAll(async () => {
  await s?.close();
});

/** The text a screen reader reads with a field: its hint and its error (aria-describedby). */
async function description(field: Locator): Promise<string> {
  const ids = (await field.getAttribute('aria-describedby')) ?? '';
  const page = field.page();
  const parts = await Promise.all(
    ids
      .split(' ')
      .filter(Boolean)
      .map((id) => page.locator(`[id="${id}"]`).innerText()),
  );
  return parts.join(' ');
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).innerText();

async function inviteInConsole(page: Page, email: string, role?: string) {
  await page.goto('/app/invites');
  if (role) await page.getByRole('checkbox', { name: role }).check();
  await page.getByRole('textbox', { name: 'E-mail' }).fill(email);
  await page.getByRole('textbox', { name: 'E-mail' }).press('Enter');
  await page
    .getByRole('status')
    .filter({ hasText: `Invite sent to ${email}.` })
    .waitFor();
}

describe('the invitee', () => {
  test('journey: invited in the console, opens the mailed link, sees whose invite it is, chooses a password, lands signed in to the console', async () => {
    const email = uniqueEmail('ada');
    const admin = await s.newPage();
    await s.signIn(admin, s.admin);
    await inviteInConsole(admin, email, reader.name);

    const link = linkIn(await s.mailTo(email, /invited/));
    expect(link.startsWith(`${s.base}/app/invite?token=`)).toBe(true);

    const page = await s.newPage();
    await page.goto(link);
    expect(await heading(page)).toBe('Accept your invite');
    const lead = await page.locator('.lead').innerText();
    expect(lead).toContain(email);
    expect(lead).toMatch(/valid until \w{3} \d{1,2}, \d{4}/);
    expect(await page.getByRole('textbox', { name: 'E-mail' }).inputValue()).toBe(email);
    expect(await description(page.getByLabel('Password', { exact: true }))).toContain('At least 8 characters');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'invite-accept');

    // Enter submits; every problem is shown next to its field, and the keyboard is taken to the first one.
    await page.getByLabel('First name').press('Enter');
    expect(await page.getByLabel('First name').getAttribute('aria-invalid')).toBe('true');
    expect(await description(page.getByLabel('First name'))).toBe('Enter your first name.');
    expect(await description(page.getByLabel('Last name'))).toBe('Enter your last name.');
    expect(await description(page.getByLabel('Password', { exact: true }))).toContain('Enter a password.');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('first_name');
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Lovelace');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Password again').fill('short');
    await page.getByLabel('Password again').press('Enter');
    expect(await description(page.getByLabel('Password', { exact: true }))).toContain(
      'The password must be at least 8 characters long.',
    );
    await screenshot(page, 'invite-accept-errors');

    await page.getByLabel('Password', { exact: true }).fill('analytical engine');
    await page.getByLabel('Password again').fill('analytical engines');
    await page.getByLabel('Password again').press('Enter');
    expect(await description(page.getByLabel('Password again'))).toBe('The two passwords are not the same.');

    await page.getByLabel('Password again').fill('analytical engine');
    await page.getByRole('button', { name: 'Accept invite and sign in' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Welcome, Ada! Your invite is accepted and you are signed in.' })
      .waitFor();
    expect(await heading(page)).toBe('Users');
    expect(await page.locator('.account').innerText()).toContain('Signed in as Ada Lovelace');
    expect(new URL(page.url()).pathname).toBe('/app/users');

    const [user] = await s.h.store.listUsers({ email });
    expect(user).toMatchObject({ email, first_name: 'Ada', last_name: 'Lovelace' });
    const me = await page.evaluate(() => fetch('/admin/users/me').then((r) => r.json()));
    expect(me.user.id).toBe(user.id);

    // The same link afterwards: a clear view, nothing asked.
    await page.goto(link);
    expect(await heading(page)).toBe('This invite has already been accepted');
    expect(await page.getByRole('textbox').count()).toBe(0);
  });

  test('a link that cannot be used says why before asking anything: invalid, missing, tampered, expired', async () => {
    const page = await s.newPage();
    for (const path of ['/app/invite?token=not-a-token', '/app/invite']) {
      await page.goto(path);
      expect(await heading(page)).toBe('This invite link is not valid');
      expect(await page.getByRole('textbox').count()).toBe(0);
    }
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'invite-invalid');

    const email = uniqueEmail('late');
    const [invite] = await createInvites(s.ctx, [{ email }]);
    const now = Math.floor(Date.now() / 1000);
    // Genuinely ours (signed with JWT_SECRET) but past its expiry.
    const expired = await signInviteToken(
      { inviteId: invite.id, jti: randomUUID(), iat: now - 7200, exp: now - 60 },
      testInviteTokens.secret,
    );
    await page.goto(`/app/invite?token=${expired}`);
    expect(await heading(page)).toBe('This invite has expired');
    expect(await page.content()).not.toContain(email);
    await screenshot(page, 'invite-expired');

    // Someone without a real link learns nothing: a forged or altered token is only "not valid".
    const [h, , sig] = invite.token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ id: invite.id, jti: 'x', iat: now, exp: now + 3600 })).toString(
      'base64url',
    );
    for (const token of [`${h}.${forgedPayload}.${sig}`, 'garbage']) {
      const res = await fetch(`${s.base}/auth/invite?token=${encodeURIComponent(token)}`);
      expect(res.status).toBe(401);
      const body = await res.json();
      expect(body).toEqual({ type: 'unauthorized', message: 'This invite link is not valid', reason: 'invalid' });
    }
    const ok = await fetch(`${s.base}/auth/invite?token=${invite.token}`);
    expect(await ok.json()).toEqual({ email, expires_at: invite.expires_at, has_login: false });
    // The preview only reads: the stored token is still the one that was mailed.
    expect((await s.h.prisma.invite.findUniqueOrThrow({ where: { id: invite.id } })).token_hash).toBe(
      hashToken(invite.token),
    );
  });

  test('an invitee who registered a login first (two-step flow) accepts with its password and lands in the console', async () => {
    const email = uniqueEmail('reg');
    const password = 'registered password 1';
    await createInvites(s.ctx, [{ email, roles: [reader.id] }]);
    const reg = await fetch(`${s.base}/auth/user/emailpass/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(reg.status).toBe(200);

    const page = await s.newPage();
    await page.goto(linkIn(await s.mailTo(email, /invited/)));
    await page
      .getByText('You already have a login for this e-mail: enter its password to accept the invite.')
      .waitFor();
    expect(await page.getByLabel('Password again').count()).toBe(0);
    await page.getByLabel('First name').fill('Alan');
    await page.getByLabel('Last name').fill('Turing');
    await page.getByLabel('Password of your login').fill('not the password');
    await page.getByLabel('Password of your login').press('Enter');
    await page.locator('.field-error').first().waitFor();
    expect(await description(page.getByLabel('Password of your login'))).toBe(
      'This is not the password of your login.',
    );
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByLabel('Password of your login').fill(password);
    await page.getByLabel('Password of your login').press('Enter');
    await page.getByRole('status').filter({ hasText: 'Welcome, Alan!' }).waitFor();
    expect(await page.locator('.account').innerText()).toContain('Signed in as Alan Turing');
    const [user] = await s.h.store.listUsers({ email });
    const login = await s.h.store.findEmailpassLogin(email);
    expect(login?.userId).toBe(user.id);
  });
});
