import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { PrismaClient } from '../store/prisma';
import type { Call, Http } from './load';

/** What the fault suite checks after a scenario, each a count of violations (0 is the only pass). */
export interface Verdict {
  /** 2xx answers whose row is not in the database (or not as answered). */
  lost: number;
  /** Two live users with one e-mail, or an event recorded twice for one thing. */
  duplicated: number;
  /** Rows no completed flow owns: a claimed invite without its user and linked login, a login
   *  without a live user, a row without its event, an event without its row. */
  orphaned: number;
  /** Idempotent replays that answered differently from the first time. */
  replayMismatches: number;
  details: string[];
}

const q = async <T>(prisma: PrismaClient, sql: string) => prisma.$queryRawUnsafe<T[]>(sql);

/** Every invariant of issue 11 over the database and Temporal, plus the answers the callers got. */
export async function checkInvariants(
  prisma: PrismaClient,
  client: Client,
  calls: Call[],
  http: Http,
): Promise<Verdict> {
  const v: Verdict = { lost: 0, duplicated: 0, orphaned: 0, replayMismatches: 0, details: [] };
  const flag = (kind: 'lost' | 'duplicated' | 'orphaned' | 'replayMismatches', n: number, what: string) => {
    if (!n) return;
    v[kind] += n;
    v.details.push(`${kind}: ${n} ${what}`);
  };

  // No duplicate live user per e-mail.
  const dupUsers = await q<{ n: bigint }>(
    prisma,
    `SELECT count(*) AS n FROM (SELECT lower(email) FROM "user" WHERE deleted_at IS NULL GROUP BY 1 HAVING count(*) > 1) d`,
  );
  flag('duplicated', Number(dupUsers[0].n), 'e-mails with more than one live user');

  // Every accepted invite has exactly one user (live, or deleted by a later delete) with one linked login.
  const badAccepts = await q<{ id: string }>(
    prisma,
    `SELECT i.id FROM invite i WHERE i.accepted AND NOT (
       (SELECT count(*) FROM "user" u WHERE lower(u.email) = lower(i.email) AND u.created_at >= i.accepted_at - interval '1 second') = 1
       AND (EXISTS (SELECT 1 FROM "user" u WHERE lower(u.email) = lower(i.email) AND u.deleted_at IS NOT NULL)
            OR (SELECT count(*) FROM auth_identity a JOIN "user" u ON u.id = a.user_id
                 JOIN provider_identity p ON p.auth_identity_id = a.id
                WHERE lower(u.email) = lower(i.email) AND u.deleted_at IS NULL AND p.entity_id = lower(i.email)) = 1))`,
  );
  flag(
    'orphaned',
    badAccepts.length,
    `accepted invites without exactly one user and linked login (${badAccepts.slice(0, 3).map((r) => r.id)})`,
  );

  // No login without a live user (the load registers no logins of its own).
  const loneLogins = await q<{ n: bigint }>(
    prisma,
    `SELECT count(*) AS n FROM auth_identity a LEFT JOIN "user" u ON u.id = a.user_id WHERE u.id IS NULL OR u.deleted_at IS NOT NULL`,
  );
  flag('orphaned', Number(loneLogins[0].n), 'logins without a live user');

  // No live user without a login (every user of the load is made with one).
  const noLogin = await q<{ n: bigint }>(
    prisma,
    `SELECT count(*) AS n FROM "user" u WHERE u.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM auth_identity a WHERE a.user_id = u.id)`,
  );
  flag('orphaned', Number(noLogin[0].n), 'live users without a login');

  // No invite claimed without a running (or completed) accept.
  const claims = await q<{ id: string; accepted_by: string }>(
    prisma,
    `SELECT id, accepted_by FROM invite WHERE accepted`,
  );
  let unowned = 0;
  for (const c of claims) {
    const status = await client.workflow
      .getHandle(c.accepted_by)
      .describe()
      .then(
        (d) => d.status.name,
        (err: unknown) => (err instanceof WorkflowNotFoundError ? 'NOT_FOUND' : 'UNKNOWN'),
      );
    if (status !== 'COMPLETED' && status !== 'RUNNING') unowned++;
  }
  flag('orphaned', unowned, 'invites claimed by an accept that neither runs nor completed');

  // Outbox events exactly once per completed flow, and none for what a failed flow undid.
  const events: [string, string, string][] = [
    ['user.created', `SELECT id FROM "user"`, 'users'],
    ['invite.created', `SELECT id FROM invite`, 'invites'],
    ['invite.accepted', `SELECT id FROM invite WHERE accepted`, 'accepted invites'],
    ['user.deleted', `SELECT id FROM "user" WHERE deleted_at IS NOT NULL`, 'deleted users'],
    ['invite.deleted', `SELECT id FROM invite WHERE deleted_at IS NOT NULL`, 'revoked invites'],
  ];
  for (const [name, rows, what] of events) {
    const counts = await q<{ missing: bigint; twice: bigint; stray: bigint }>(
      prisma,
      `WITH r AS (${rows}), e AS (SELECT payload->>'id' AS id, count(*) AS n FROM event WHERE name = '${name}' GROUP BY 1)
       SELECT (SELECT count(*) FROM r LEFT JOIN e USING (id) WHERE e.id IS NULL) AS missing,
              (SELECT count(*) FROM e WHERE n > 1) AS twice,
              (SELECT count(*) FROM e LEFT JOIN r USING (id) WHERE r.id IS NULL) AS stray`,
    );
    flag('orphaned', Number(counts[0].missing), `${what} without their ${name} event`);
    flag('duplicated', Number(counts[0].twice), `${name} events recorded more than once`);
    flag('orphaned', Number(counts[0].stray), `${name} events of ${what} that do not exist`);
  }

  // What callers were told matches the database.
  for (const c of calls.filter((c) => c.status === 200)) {
    const id = c.answer?.user?.id ?? c.answer?.invite?.id ?? c.answer?.id;
    const row =
      c.op === 'create-invite' || c.op === 'resend' || c.op === 'revoke'
        ? await prisma.invite.findUnique({ where: { id } })
        : await prisma.user.findUnique({ where: { id } });
    const ok =
      row &&
      (c.op === 'delete-user' || c.op === 'revoke' ? (row as { deleted_at: Date | null }).deleted_at !== null : true);
    if (!ok) flag('lost', 1, `${c.op} answered 200 for ${id}, not so in the database`);
  }

  // Idempotent replays answer the same as the first time (a completed flow's answer, or its refusal).
  // An admin request refused by the auth guard (401 while the database is away) never started a flow:
  // there is no answer of a flow to replay.
  const flowAnswered = (c: Call) => c.status >= 200 && c.status < 500 && !(c.status === 401 && !c.anonymous);
  for (const c of calls.filter((c) => c.key && flowAnswered(c))) {
    const again = await http.request(c.method, c.path, c.body, c.key, c.anonymous);
    const same = again.status === c.status && JSON.stringify(idsOf(again.answer)) === JSON.stringify(idsOf(c.answer));
    if (!same) flag('replayMismatches', 1, `${c.op} ${c.key}: ${c.status} then ${again.status}`);
  }
  return v;
}

const idsOf = (a: any) => ({ user: a?.user?.id, invite: a?.invite?.id, id: a?.id, type: a?.type }); // eslint-disable-line @typescript-eslint/no-explicit-any

/** Wait until no flow runs on the task queue (every flow completed or fully undone). */
export async function quiesce(client: Client, taskQueue: string, timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { count } = await client.workflow
      .count(`TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`)
      .catch(() => ({ count: -1 }));
    if (count === 0) return 0;
    if (Date.now() > until) return count;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
