import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createActivities } from '../../activities';
import { buildApi } from '../../api/server';
import { DEFAULT_HARDENING, DEFAULT_LIMITS } from '../../config/security';
import { createUserAccount, type UsermodClient } from '../../client';
import { projectRoot } from '../../config';
import { fileTransport, type MailMessage } from '../../activities/mail-transport';
import { freePort } from '../../devstack/free-port';
import { ensureWebBuild } from '../../infra/web-build';
import { grantRoles, openHarness, testDeps, testInviteTokens, uniqueEmail, type Harness } from '../harness';

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it when missing). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The flags the project runs Chromium with: nothing reaches the network but the stack under test.
// Playwright adds --headless and a fresh --user-data-dir (a new temporary profile per launch) itself.
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const TEMPORAL_UI = 'http://temporal-ui.example.test:8233';

/** Written on every run; into docs/ (committed, linked from the README) with UPDATE_SCREENSHOTS=1. */
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? join(projectRoot, 'docs', 'screenshots')
  : join(projectRoot, '.cache', 'screenshots');

export interface Account {
  id: string;
  email: string;
  password: string;
}

type Mail = MailMessage & { at: string };

/**
 * The real stack behind a real browser: the admin API with the built web app, a worker whose invite and
 * reset mails go to an outbox file (the invitee's mailbox), the run's Temporal server and database.
 */
export interface WebStack {
  h: Harness;
  ctx: UsermodClient;
  base: string;
  browser: Browser;
  /** A signed-up admin (createUserAccountWorkflow), as `ADMIN_EMAIL` would make. */
  admin: Account;
  newUser(tag: string, names?: { first_name?: string; last_name?: string }): Promise<Account>;
  /** A fresh browser profile: its own cookies, as another person's browser. */
  newPage(): Promise<Page>;
  /** The newest message to this address in the outbox (waits for the delivery activity). */
  mailTo(email: string, subject: RegExp, after?: number): Promise<Mail>;
  signIn(page: Page, account: Pick<Account, 'email' | 'password'>): Promise<void>;
  close(): Promise<void>;
}

export const linkIn = (mail: Mail): string => {
  const link = /https?:\/\/\S+/.exec(mail.text)?.[0];
  if (!link) throw new Error(`no link in the message '${mail.subject}'`);
  return link;
};

function readOutbox(path: string): Mail[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Mail);
  } catch {
    return [];
  }
}

export async function openWebStack(): Promise<WebStack> {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  await ensureWebBuild();
  const h = await openHarness();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const mailDir = mkdtempSync(join(tmpdir(), 'usermod-web-mail-'));
  const outbox = join(mailDir, 'outbox.jsonl');
  // The links in the mails open this server's pages, as INVITE_ACCEPT_URL / PASSWORD_RESET_URL do in production.
  const delivery = {
    transport: fileTransport(outbox),
    acceptUrl: `${base}/app/invite`,
    resetUrl: `${base}/app/reset-password`,
  };
  const worker = await h.startWorker(createActivities(testDeps(h.store, { delivery })));
  const app: FastifyInstance = await buildApi(
    {
      store: h.store,
      usermod: worker.ctx,
      jwtSecret: testInviteTokens.secret,
      jwtExpiresIn: '1h',
      health: async () => ({ database: true, temporal: true }),
    },
    {
      web: { temporalUiUrl: TEMPORAL_UI, temporalNamespace: 'default', inviteAcceptUrl: delivery.acceptUrl },
      // The journeys sign the same accounts in many times a minute; the limits have their own tests.
      hardening: { ...DEFAULT_HARDENING, limits: { ...DEFAULT_LIMITS, perIp: 100_000, perIdentifier: 100_000 } },
    },
  );
  await app.listen({ host: '127.0.0.1', port });
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];

  const newUser = async (tag: string, names: { first_name?: string; last_name?: string } = {}): Promise<Account> => {
    const email = uniqueEmail(tag);
    const password = `${tag} password 1`;
    const { user } = await createUserAccount(worker.ctx, { email, password, ...names });
    return { id: user.id, email, password };
  };
  const admin = await newUser('admin', { first_name: 'Grace', last_name: 'Hopper' });
  // As ADMIN_EMAIL would: the first admin holds Super Admin.
  await grantRoles(h, admin.id);

  return {
    h,
    ctx: worker.ctx,
    base,
    browser,
    admin,
    newUser,
    async newPage() {
      const context = await browser.newContext({
        locale: 'en-US',
        timezoneId: 'UTC',
        viewport: { width: 1280, height: 860 },
        baseURL: base,
      });
      contexts.push(context);
      return context.newPage();
    },
    async mailTo(email, subject, after = 0) {
      const until = Date.now() + 30_000;
      for (;;) {
        const found = readOutbox(outbox).filter(
          (m) => m.to === email && subject.test(m.subject) && Date.parse(m.at) >= after,
        );
        if (found.length) return found[found.length - 1];
        if (Date.now() > until) throw new Error(`no message '${subject}' to ${email} in the outbox`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async signIn(page, account) {
      await page.goto('/app/login');
      await page.getByLabel('E-mail').fill(account.email);
      await page.getByLabel('Password').fill(account.password);
      await page.getByLabel('Password').press('Enter');
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await app.close();
      await worker.stop();
      await h.close();
      rmSync(mailDir, { recursive: true, force: true });
    },
  };
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical violations on the page as it is now, as readable lines (empty when
 * none). The source is evaluated through the DevTools protocol, which the page's CSP does not block.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
            o: object,
          ): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Chromium has been seen (once, in CI on a loaded 2-core machine) to exit while starting, which fails
 * launch with "Target page, context or browser has been closed" before any page exists. One more start,
 * said in the output, so a browser that crashed at launch is not taken for a failure of the web app.
 */
async function launchChromium(): Promise<Browser> {
  const launch = () => chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  try {
    return await launch();
  } catch (err) {
    console.error(`Chromium did not start (${(err as Error).message.split('\n')[0]}); starting it again`);
    return launch();
  }
}
