// For every flow: a failure injected after each activity of a successful run (read from its history)
// leaves the database exactly as it was before the flow. A new step is covered without editing this
// file; a new flow needs only its file in test/flows/ (this test fails until it has one).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createActivities } from '../activities';
import { flowId, SAGA_FLOWS, workflowType, type SagaFlow } from '../domain';
import { AFTER_SAGA } from '../workflows/activity-options';
import { failAfter, INJECTED, recordingClient, scheduledActivities, type FlowScenario } from './fault-injection';
import { openHarness, snapshot, testDataConverter, testDeps, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.close());

const scenarioFile = (flow: SagaFlow) => join(__dirname, 'flows', `${flowId(flow)}.ts`);

test('every flow has its scenarios in test/flows/<flow id>.ts', () => {
  expect(SAGA_FLOWS.filter((flow) => !existsSync(scenarioFile(flow)))).toEqual([]);
});

describe.each(SAGA_FLOWS.filter((flow) => existsSync(scenarioFile(flow))))('%s', (flow) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- scenarios are found by file name
  const scenarios = (require(scenarioFile(flow)) as { default: FlowScenario[] }).default;

  test.each(scenarios.map((s) => [s.name, s] as const))(
    '%s: a failure after each activity leaves the database as before',
    async (_name, scenario) => {
      const real = createActivities(testDeps(h.store));
      const type = workflowType(flow);
      const { client, started } = recordingClient(h.client, testDataConverter);

      // A successful run names the activities to fail after.
      const run = await h.withWorker((ctx) => scenario.prepare(ctx));
      await h.withWorker((ctx) => run({ ...ctx, client }));
      expect(started.map((s) => s.workflowType)).toEqual([type]);
      const activities = await scheduledActivities(h.client, started[0].workflowId);
      expect(activities.length).toBeGreaterThan(0);

      for (const target of activities) {
        const again = await h.withWorker((ctx) => scenario.prepare(ctx));
        const before = await snapshot(h.prisma);
        const outcome = await h
          .withWorker((ctx) => again({ ...ctx, client }), failAfter(real, type, target))
          .then(
            () => ({ failed: false, message: '' }),
            (err: Error & { cause?: Error }) => ({ failed: true, message: String(err.cause?.message ?? err.message) }),
          );
        const step = `after ${target.activityType} (#${target.activityId})`;
        if (outcome.failed) {
          expect({ step, message: outcome.message }).toEqual({
            step,
            message: expect.stringContaining(`${INJECTED} failure after ${target.activityType}`),
          });
          expect({ step, database: await snapshot(h.prisma) }).toEqual({ step, database: before });
        } else {
          // Only the activities a flow runs after its saga may fail without failing it (delivery).
          expect({ step, afterSaga: (AFTER_SAGA as readonly string[]).includes(target.activityType) }).toEqual({
            step,
            afterSaga: true,
          });
        }
      }
    },
  );
});
