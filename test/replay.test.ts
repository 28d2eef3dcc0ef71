// Replay: histories of every flow (success, refusal, compensation), recorded from real runs and kept
// in test/histories/, are replayed against the current workflow code. A change that would break the
// runs in flight (a step added, removed or reordered without `patched()`) fails here.
// Re-record (after a deliberate, versioned change): npm run histories:record
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { createActivities, type Activities } from '../activities';
import { failureConverterPath } from '../codec/aes-gcm-codec';
import { flowId, SAGA_FLOWS, SCHEDULED_FLOWS, workflowType, type FlowName } from '../domain';
import { metricSinks } from '../metrics';
import { AFTER_SAGA, PURE_LOCAL } from '../workflows/activity-options';
import { workflowInterceptorModules, workflowsPath } from '../worker/worker';
import { failAfter, recordingClient, scheduledActivities, type FlowScenario } from './fault-injection';
import { openHarness, testDataConverter, testDeps, type Harness } from './harness';

const FIXTURES = join(__dirname, 'histories');
const { History } = temporal.api.history.v1;
const CASES = ['success', 'refusal', 'compensation'] as const;
type Case = (typeof CASES)[number];

interface Fixture {
  flow: FlowName;
  case: Case | 'scheduled';
  workflowId: string;
  history: unknown;
}

// Histories of runs recorded before a `patched()` change, kept apart (re-recording leaves them alone):
// runs still in flight when a worker is upgraded must replay through the old branch.
const EARLIER = join(__dirname, 'histories-earlier');

const fixtures = (dir = FIXTURES): Fixture[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fixture);

const replayOptions = (code: string) => ({
  workflowBundle: { code },
  dataConverter: testDataConverter,
  sinks: metricSinks(), // not called while replaying, but the workflows reference them
});

if (process.env.RECORD_HISTORIES === '1') {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
    rmSync(FIXTURES, { recursive: true, force: true });
    mkdirSync(FIXTURES, { recursive: true });
  });
  afterAll(() => h.close());

  const save = async (flow: FlowName, kase: Fixture['case'], workflowId: string) => {
    const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
    // protobufjs' own JSON form (enums and 64-bit ids as strings, payloads base64): it reads back exactly.
    const json = History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String });
    const fixture: Fixture = { flow, case: kase, workflowId, history: json };
    writeFileSync(join(FIXTURES, `${flowId(flow)}.${kase}.json`), `${JSON.stringify(fixture, null, 1)}\n`);
  };

  test.each([...SAGA_FLOWS])('record %s: success, refusal, compensation', async (flow) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- scenarios are found by file name
    const [scenario] = (require(join(__dirname, 'flows', `${flowId(flow)}.ts`)) as { default: FlowScenario[] }).default;
    const real = createActivities(testDeps(h.store));
    const type = workflowType(flow);
    const { client, started } = recordingClient(h.client, testDataConverter);
    const runOnce = async (overrides: Partial<Activities> = {}) => {
      const run = await h.withWorker((ctx) => scenario.prepare(ctx));
      await h.withWorker((ctx) => run({ ...ctx, client }), overrides).catch(() => undefined);
      return started[started.length - 1].workflowId;
    };

    const success = await runOnce();
    await save(flow, 'success', success);
    // The saga's steps, local ones included; not the pure local computations (ids, claims) before them.
    const steps = (await scheduledActivities(h.client, success)).filter(
      (a) => ![...AFTER_SAGA, ...PURE_LOCAL].includes(a.activityType as never),
    );
    // Refusal: the first step says no (a business error, as the store's own refusals do).
    const first = steps[0].activityType as keyof Activities;
    const refuse = async () => {
      throw ApplicationFailure.create({ type: 'invalid_data', message: 'refused for the fixture', nonRetryable: true });
    };
    await save(flow, 'refusal', await runOnce({ [first]: refuse } as Partial<Activities>));
    // Compensation: a failure after the last step of the saga undoes every step.
    await save(flow, 'compensation', await runOnce(failAfter(real, type, steps[steps.length - 1])));
  });

  test('record the scheduled flows', async () => {
    const real = createActivities(testDeps(h.store, { temporal: h.client }));
    await h.withWorker(
      async (ctx) => {
        const runs: [FlowName, unknown][] = [
          ['expireInvites', { batchSize: 10, retentionSeconds: 0 }],
          ['reconcile', { dryRun: true, graceSeconds: 0 }],
        ];
        for (const [flow, input] of runs) {
          const workflowId = `${flowId(flow)}-fixture-${Date.now()}`;
          await ctx.client.workflow.execute(workflowType(flow), {
            taskQueue: ctx.taskQueue,
            workflowId,
            args: [input],
          });
          await save(flow, 'scheduled', workflowId);
        }
      },
      { findLeftovers: real.findLeftovers },
    );
  });
} else {
  test('every flow has its histories: success, refusal and compensation for each saga, one run of each scheduled flow', () => {
    const have = new Set(fixtures().map((f) => `${f.flow}.${f.case}`));
    const want = [
      ...SAGA_FLOWS.flatMap((flow) => CASES.map((c) => `${flow}.${c}`)),
      ...SCHEDULED_FLOWS.map((flow) => `${flow}.scheduled`),
    ];
    expect(want.filter((w) => !have.has(w))).toEqual([]);
  });

  test('every recorded history replays against the current workflow code', async () => {
    const code = readFileSync(process.env.USERMOD_TEST_BUNDLE!, 'utf8');
    const failures: string[] = [];
    const all = fixtures();
    const earlier = fixtures(EARLIER);
    expect(earlier.length).toBeGreaterThan(0);
    const histories = [...all, ...earlier].map((f) => ({
      workflowId: f.workflowId,
      history: History.fromObject(f.history as object),
    }));
    for await (const result of Worker.runReplayHistories(replayOptions(code), histories)) {
      if (result.error)
        failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message.split('\n')[0]}`);
    }
    expect(failures).toEqual([]);
    expect(all.length).toBe(SAGA_FLOWS.length * CASES.length + SCHEDULED_FLOWS.length);
  });

  test('a deliberately non-deterministic change (a step added before an existing one) fails the replay', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath,
      workflowInterceptorModules,
      failureConverterPath,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never,
      webpackConfigHook: (config) => {
        config.module?.rules?.push({
          test: /workflows[\\/]create-users\.ts$/,
          enforce: 'pre',
          use: [
            {
              loader: require.resolve('./support/mutate-workflow-loader.js'),
              options: {
                find: "const users = await saga.step('create users'",
                // A local activity, as the step it lands before is one (workflows/create-users.ts).
                insert: "await local.newIds('user', 0);",
              },
            },
          ],
        });
        return config;
      },
    });
    const createUsers = fixtures().filter((f) => f.flow === 'createUsers');
    expect(createUsers.length).toBe(3);
    for (const f of createUsers) {
      const err = await Worker.runReplayHistory(
        replayOptions(code),
        History.fromObject(f.history as object),
        f.workflowId,
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeterminismViolationError);
      // The replay saw the new step where history has the old one.
      expect((err as Error).message).toMatch(/newIds/);
    }
  });
}
