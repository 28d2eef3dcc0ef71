import { randomUUID } from 'node:crypto';

// JSON answers of several routes, read loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Answer = any;

/** One HTTP request of the load and how it was answered. */
export interface Call {
  op: 'create-invite' | 'accept' | 'create-user' | 'update-user' | 'delete-user' | 'resend' | 'revoke';
  method: string;
  path: string;
  body?: unknown;
  key?: string;
  anonymous: boolean;
  status: number;
  answer: Answer;
}

export class Http {
  token = '';
  constructor(readonly base: string) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    key?: string,
    anonymous = false,
  ): Promise<{ status: number; answer: Answer }> {
    const headers: Record<string, string> = {};
    if (this.token && !anonymous) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key) headers['idempotency-key'] = key;
    try {
      const res = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15 * 60_000),
      });
      const text = await res.text();
      let answer: unknown = text;
      try {
        answer = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, answer };
    } catch (err) {
      // The API itself unreachable (or the answer cut off): status 0.
      return { status: 0, answer: { message: String((err as Error).message) } };
    }
  }

  async login(email: string, password: string, deadlineMs = 120_000): Promise<void> {
    const until = Date.now() + deadlineMs;
    while (Date.now() < until) {
      const r = await this.request('POST', '/auth/user/emailpass', { email, password });
      if (r.status === 200) {
        this.token = r.answer.token;
        // A login made while the admin's account flow is still linking it carries no user yet: wait for one.
        if ((await this.request('GET', '/admin/users/me')).status === 200) return;
      }
      await new Promise((res) => setTimeout(res, 500));
    }
    throw new Error('the chaos admin could not log in (is the stack up?)');
  }
}

// Strong enough for the password policy; the same for every user of a run.
const PASSWORD = `Chaos-user-${randomUUID()}`;

/**
 * A mixed load of `flows` flow-starting requests, `concurrency` at a time, each a little story:
 * invite and accept; create a user and update or delete it; invite and resend or revoke. One request
 * in four carries an Idempotency-Key (replayed after the scenario: it must answer the same).
 */
export async function runLoad(
  http: Http,
  tag: string,
  flows: number,
  options: { concurrency?: number; gate?: () => Promise<void> } = {},
): Promise<Call[]> {
  const concurrency = options.concurrency ?? 8;
  const calls: Call[] = [];
  let started = 0;
  const call = async (op: Call['op'], method: string, path: string, body?: unknown) => {
    started++;
    const key = Math.random() < 0.25 ? `chaos-${randomUUID()}` : undefined;
    // The invitee accepts with the token of the link, not as the admin.
    const anonymous = op === 'accept';
    const { status, answer } = await http.request(method, path, body, key, anonymous);
    const c: Call = { op, method, path, body, key, status, answer, anonymous };
    calls.push(c);
    return c;
  };
  const email = () => `${tag}-${randomUUID().slice(0, 12)}@example.com`;

  const story = async (n: number) => {
    switch (n % 4) {
      case 0: {
        const inv = await call('create-invite', 'POST', '/admin/invites', { email: email() });
        if (inv.status !== 200) return;
        await call('accept', 'POST', `/admin/invites/accept?token=${encodeURIComponent(inv.answer.invite.token)}`, {
          password: PASSWORD,
          first_name: 'Chaos',
        });
        return;
      }
      case 1: {
        const u = await call('create-user', 'POST', '/admin/users', { email: email(), password: PASSWORD });
        if (u.status !== 200) return;
        await call('update-user', 'POST', `/admin/users/${u.answer.user.id}`, { first_name: `Renamed ${n}` });
        return;
      }
      case 2: {
        const u = await call('create-user', 'POST', '/admin/users', { email: email(), password: PASSWORD });
        if (u.status !== 200) return;
        await call('delete-user', 'DELETE', `/admin/users/${u.answer.user.id}`);
        return;
      }
      default: {
        const inv = await call('create-invite', 'POST', '/admin/invites', { email: email() });
        if (inv.status !== 200) return;
        if (n % 8 === 3) await call('resend', 'POST', `/admin/invites/${inv.answer.invite.id}/resend`);
        else await call('revoke', 'DELETE', `/admin/invites/${inv.answer.invite.id}`);
      }
    }
  };

  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < flows) {
        // A scenario may hold new stories back (say, while the database is away) and let the ones in flight run.
        await options.gate?.();
        await story(next++);
      }
    }),
  );
  return calls;
}
