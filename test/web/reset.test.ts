import { SignJWT } from 'jose';
import { AUDIENCE } from '../../auth/jwt';
import type { Page } from 'playwright-core';
import { passwordFingerprint } from '../../auth/reset-token';
import { authenticateEmailpass } from '../../auth';
import { testInviteTokens, uniqueEmail } from '../harness';
import { accessibilityProblems, linkIn, openWebStack, screenshot, type WebStack } from './web-stack';

let s: WebStack;
beforeAll(async () => {
  s = await openWebStack();
});
afterAll(async () => {
  await s?.close();
});

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).innerText();

async function askForLink(page: Page, email: string): Promise<string> {
  await page.goto('/app/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  expect(await heading(page)).toBe('Reset your password');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('E-mail').press('Enter');
  await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
  return (await page.locator('.card').innerText()).replace(email, '<e-mail>');
}

describe('password reset', () => {
  test('from the mailed link: ask (the same answer for an unknown e-mail), choose a new password, sign in with it; the link then says it was used', async () => {
    const user = await s.newUser('forgetful', { first_name: 'Frances' });
    const page = await s.newPage();
    const unknownAnswer = await askForLink(page, uniqueEmail('nobody'));
    expect(await accessibilityProblems(page)).toEqual([]);
    const answer = await askForLink(page, user.email);
    expect(answer).toBe(unknownAnswer);

    const link = linkIn(await s.mailTo(user.email, /Reset your password/));
    expect(link.startsWith(`${s.base}/app/reset-password?token=`)).toBe(true);
    await page.goto(link);
    expect(await heading(page)).toBe('Choose a new password');
    expect(await page.locator('.lead').innerText()).toContain(user.email);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'reset-password');

    await page.getByLabel('New password', { exact: true }).fill('new secret 1');
    await page.getByLabel('New password again').fill('new secret 2');
    await page.getByLabel('New password again').press('Enter');
    await page.getByText('The two passwords are not the same.').waitFor();
    expect(await page.getByLabel('New password again').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('New password again').fill('new secret 1');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.getByRole('heading', { name: 'Your password has been changed' }).waitFor();
    await expect(authenticateEmailpass(s.h.store, user.email, user.password)).rejects.toMatchObject({
      type: 'unauthorized',
    });

    await page.getByRole('link', { name: 'Go to sign in' }).click();
    expect(await page.getByLabel('E-mail').inputValue()).toBe(user.email);
    await page.getByLabel('Password').fill('new secret 1');
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.locator('.account').innerText()).toContain('Signed in as Frances');

    await page.goto(link);
    expect(await heading(page)).toBe('This reset link has already been used');
    expect(await page.getByRole('textbox').count()).toBe(0);
  });

  test('an invalid or expired reset link says so before asking anything', async () => {
    const user = await s.newUser('late');
    const page = await s.newPage();
    await page.goto('/app/reset-password?token=not-a-token');
    expect(await heading(page)).toBe('This reset link is not valid');
    expect(await page.getByRole('textbox').count()).toBe(0);

    const login = await s.h.store.findEmailpassLogin(user.email);
    const now = Math.floor(Date.now() / 1000);
    // Signed with JWT_SECRET, for the current password, but past its 15 minutes.
    const expired = await new SignJWT({
      entity_id: user.email,
      provider: 'emailpass',
      actor_type: 'user',
      pwf: passwordFingerprint(login!.passwordHash!),
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setAudience(AUDIENCE.reset)
      .setIssuedAt(now - 3600)
      .setExpirationTime(now - 60)
      .sign(new TextEncoder().encode(testInviteTokens.secret));
    await page.goto(`/app/reset-password?token=${expired}`);
    expect(await heading(page)).toBe('This reset link has expired');
    expect(await page.content()).not.toContain(user.email);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'reset-expired');
    await page.getByRole('link', { name: 'Ask for a new link' }).click();
    expect(await heading(page)).toBe('Reset your password');
  });
});
