// npm run chaos — the fault suite (not part of npm test; its short variant is test/outage.test.ts).
// Starts its own stack (Temporal dev server, PostgreSQL, a worker and an API as processes), drives a
// mixed load over HTTP, and in turn: kills the worker with kill -9, stops the database for longer than
// the forward budget (so flows fail and undo while it is still away), and kills and restarts the
// Temporal server. After each scenario it waits for every flow to end and checks every invariant.
//
//   npm run chaos -- [--flows 200] [--outage 120] [--budget 30] [--only db]
import { Client, Connection } from '@temporalio/client';
import { parseArgs } from 'node:util';
import { parseCodecKeys, usermodDataConverter } from '../codec/aes-gcm-codec';
import { createPrisma } from '../store/prisma';
import { checkInvariants, quiesce, type Verdict } from './invariants';
import { Http, runLoad, type Call } from './load';
import { startChaosStack, type ChaosStack } from './stack';

const { values: args } = parseArgs({
  options: {
    flows: { type: 'string', default: '200' },
    outage: { type: 'string', default: '120' },
    budget: { type: 'string', default: '30' },
    alert: { type: 'string', default: '20' },
    only: { type: 'string' },
  },
});
const FLOWS = Number(args.flows);
const OUTAGE_S = Number(args.outage);
const BUDGET_S = Number(args.budget);
const ALERT_S = Number(args.alert);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => process.stdout.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

interface Row extends Omit<Verdict, 'details'> {
  scenario: string;
  requests: number;
  ok: number;
  refused: number;
  failed: number;
  running: number;
  maxCompensating: number;
  workerLines: number;
  failedAttempts: number;
  seconds: number;
  details: string[];
}

/** The sum of a metric's samples in a Prometheus text (0 when absent). */
function metricSum(text: string, name: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

async function metrics(url: string): Promise<string> {
  return fetch(url, { signal: AbortSignal.timeout(3000) })
    .then((r) => r.text())
    .catch(() => '');
}

type Fault = (stack: ChaosStack, gate: { close(): void; open(): void }) => Promise<void>;

const SCENARIOS: { id: string; name: string; concurrency: number; fault: Fault }[] = [
  { id: 'none', name: 'no fault', concurrency: 8, fault: async () => undefined },
  {
    id: 'worker',
    name: 'worker kill -9, 3 times',
    concurrency: 8,
    fault: async (stack) => {
      for (let i = 0; i < 3; i++) {
        await sleep(4000);
        await stack.worker.kill();
        await sleep(1000);
        stack.worker.start();
      }
    },
  },
  {
    id: 'db',
    name: `database down ${OUTAGE_S} s (forward budget ${BUDGET_S} s): flows fail and undo while it is away`,
    concurrency: 24,
    fault: async (stack, gate) => {
      await sleep(3000);
      gate.close(); // the stories in flight meet the outage; new ones wait for the database
      await stack.pg.stop();
      await sleep(OUTAGE_S * 1000);
      await stack.pg.start();
      gate.open();
    },
  },
  {
    id: 'temporal',
    name: 'Temporal server kill -9, restarted after 5 s',
    concurrency: 8,
    fault: async (stack) => {
      await sleep(4000);
      await stack.restartTemporal(5000);
    },
  },
];

async function main() {
  log(`starting the stack (forward budget ${BUDGET_S} s, compensation alert ${ALERT_S} s)`);
  const stack = await startChaosStack({ forwardBudgetSeconds: BUDGET_S, compensationAlertSeconds: ALERT_S });
  const rows: Row[] = [];
  const prisma = createPrisma(stack.databaseUrl, 4);
  let connection: Connection | undefined;
  try {
    const http = new Http(stack.apiUrl);
    await http.login(stack.admin.email, stack.admin.password);
    connection = await Connection.connect({ address: stack.temporalAddress() });
    const client = new Client({
      connection,
      namespace: 'default',
      dataConverter: usermodDataConverter(parseCodecKeys(stack.env.USERMOD_PAYLOAD_KEYS)),
    });
    const workerMetricsUrl = `http://127.0.0.1:${stack.env.WORKER_METRICS_PORT}/metrics`;

    for (const s of SCENARIOS.filter((x) => !args.only || x.id === args.only)) {
      log(`scenario: ${s.name}`);
      const started = Date.now();
      const linesBefore = stack.worker.lines.length;
      const attemptsBefore = metricSum(await metrics(workerMetricsUrl), 'usermod_activity_failures_total');
      let held: Promise<void> | undefined;
      let release = () => undefined as void;
      const gate = {
        close: () => (held = new Promise<void>((r) => (release = r))),
        open: () => {
          release();
          held = undefined;
        },
      };
      let maxCompensating = 0;
      let watching = true;
      const watch = (async () => {
        while (watching) {
          maxCompensating = Math.max(
            maxCompensating,
            metricSum(await metrics(`${stack.apiUrl}/metrics`), 'usermod_compensations_retrying'),
          );
          await sleep(2000);
        }
      })();
      const [calls] = await Promise.all([
        runLoad(http, `chaos-${s.id}`, FLOWS, { concurrency: s.concurrency, gate: () => held ?? Promise.resolve() }),
        s.fault(stack, gate),
      ]);
      log(`load done (${calls.length} requests); waiting for every flow to end`);
      const running = await quiesce(client, stack.env.TEMPORAL_TASK_QUEUE, 15 * 60_000);
      watching = false;
      await watch;
      const attemptsAfter = metricSum(await metrics(workerMetricsUrl), 'usermod_activity_failures_total');
      const verdict = await checkInvariants(prisma, client, calls, http);
      rows.push({
        scenario: s.name,
        requests: calls.length,
        ok: count(calls, (c) => c >= 200 && c < 300),
        refused: count(calls, (c) => c >= 400 && c < 500),
        failed: count(calls, (c) => c === 0 || c >= 500),
        running,
        maxCompensating,
        workerLines: stack.worker.lines.length - linesBefore,
        // A killed worker loses its counters: the count is of the worker running at the end.
        failedAttempts: Math.max(0, attemptsAfter - attemptsBefore),
        seconds: Math.round((Date.now() - started) / 1000),
        ...verdict,
      });
      for (const d of verdict.details) log(`  ${d}`);
      const answers = new Map<string, number>();
      for (const c of calls.filter((c) => c.status !== 200)) {
        const k = `${c.op} ${c.status} ${c.answer?.type ?? ''}`.trim();
        answers.set(k, (answers.get(k) ?? 0) + 1);
      }
      for (const [k, n] of answers) log(`  not 200: ${n} × ${k}`);
    }
  } finally {
    await connection?.close();
    await prisma.$disconnect();
    await stack.stop();
  }

  const header = [
    'scenario',
    'requests',
    '2xx',
    '4xx',
    '5xx/none',
    'lost',
    'duplicated',
    'orphaned',
    'replays≠',
    'still running',
    'max compensating',
    'worker log lines',
    'failed attempts',
    's',
  ];
  const table = rows.map((r) =>
    [
      r.scenario,
      r.requests,
      r.ok,
      r.refused,
      r.failed,
      r.lost,
      r.duplicated,
      r.orphaned,
      r.replayMismatches,
      r.running,
      r.maxCompensating,
      r.workerLines,
      r.failedAttempts,
      r.seconds,
    ].map(String),
  );
  console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const t of table) console.log(`| ${t.join(' | ')} |`);
  const bad = rows.some((r) => r.lost || r.duplicated || r.orphaned || r.replayMismatches || r.running);
  console.log(bad ? '\nchaos: invariants VIOLATED (details above)' : '\nchaos: every invariant held');
  process.exit(bad ? 1 : 0);
}

const count = (calls: Call[], p: (status: number) => boolean) => calls.filter((c) => p(c.status)).length;

main().catch((err) => {
  console.error(`chaos failed: ${(err as Error).stack ?? err}`);
  process.exit(2);
});
