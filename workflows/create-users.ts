import { CancellationScope, CancelledFailure, patched, upsertSearchAttributes } from '@temporalio/workflow';
import { USER_IDS, type CreateUsersInput, type UserDTO } from '../domain';
import { activities, compensations, local, localSteps } from './activity-options';
import { workflowIds } from './ids';
import { event, runSaga } from './saga';

export async function createUsersWorkflow(input: CreateUsersInput): Promise<UserDTO[]> {
  return runSaga(async (saga) => {
    // Ids are fixed before anything is written: a retried create finds its own rows, and the
    // compensation deletes exactly these users, never someone else's. Runs from before the patch made
    // them in a local activity and created in an activity (two workflow tasks); now the ids are made in
    // workflow code (workflows/ids.ts) and the whole flow is one workflow task.
    const oneTask = patched('create-users-in-one-task');
    const ids = oneTask ? workflowIds('user', input.users.length) : await local.newIds('user', input.users.length);
    upsertSearchAttributes([{ key: USER_IDS, value: ids }]);

    // Creates the users, and their events in the same transaction (the outbox: no separate step). In the
    // one task, the events' ids too are the same when a reset re-runs it (workflows/ids.ts).
    const eventIds = oneTask ? workflowIds('evt', ids.length) : undefined;
    const events = ids.map((id, i) => event('user.created', { id }, eventIds?.[i]));
    const users = await saga.step('create users', {
      undo: async () => {
        await compensations.deleteUsers(ids);
        await compensations.deleteEvents(events.map((e) => e.id));
      },
      // A cancel does not interrupt the local step: the SDK does not wait for a cancelled local activity
      // to end, so the undo could run before it commits and leave its rows. Like an activity's
      // (WAIT_CANCELLATION_COMPLETED), the step ends first; then the cancel undoes it (below).
      run: () =>
        CancellationScope.nonCancellable(() =>
          (oneTask ? localSteps : activities).createUsersWithEvents(
            input.users.map((u, i) => ({ ...u, id: ids[i] })),
            events,
          ),
        ),
    });
    // A cancel that arrived while the step ran undoes it: the run ends cancelled with nothing left, as
    // the reconciler's reset-then-cancel of a terminated run needs.
    if (oneTask && CancellationScope.current().consideredCancelled) {
      throw new CancelledFailure('the create was cancelled');
    }
    return users;
  });
}
