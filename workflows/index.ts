// Workflow code: deterministic orchestration only. Activities do all I/O.
import type { FlowName, Flows } from '../domain';
import { acceptInviteWorkflow } from './accept-invite';
import { createUserAccountWorkflow } from './create-user-account';
import { createUsersWorkflow } from './create-users';
import { registerEmailpassWorkflow, requestPasswordResetWorkflow, updateEmailpassPasswordWorkflow } from './emailpass';
import { expireInvitesWorkflow } from './expire-invites';
import { createInvitesWorkflow, deleteInvitesWorkflow, refreshInviteTokensWorkflow } from './invites';
import { reconcileWorkflow } from './reconcile';
import { createApiKeyWorkflow, deleteApiKeyWorkflow, revokeApiKeyWorkflow } from './api-keys';
import {
  addRolePoliciesWorkflow,
  assignUserRolesWorkflow,
  createRoleWorkflow,
  deleteRoleWorkflow,
  removeRolePoliciesWorkflow,
  removeUserRolesWorkflow,
  updateRoleWorkflow,
} from './rbac';
import { removeUserAccountWorkflow, updateUsersWorkflow } from './users';
import { updateInvitesWorkflow } from './update-invites';
import { deliverWebhookWorkflow, publishEventsWorkflow } from './webhooks';

export {
  acceptInviteWorkflow,
  createInvitesWorkflow,
  createUserAccountWorkflow,
  createUsersWorkflow,
  deleteInvitesWorkflow,
  expireInvitesWorkflow,
  reconcileWorkflow,
  refreshInviteTokensWorkflow,
  registerEmailpassWorkflow,
  removeUserAccountWorkflow,
  requestPasswordResetWorkflow,
  updateEmailpassPasswordWorkflow,
  updateUsersWorkflow,
  updateInvitesWorkflow,
  // The outbox relay and webhook deliveries: not flows (nothing to compensate), started by a schedule.
  publishEventsWorkflow,
  deliverWebhookWorkflow,
  createRoleWorkflow,
  updateRoleWorkflow,
  deleteRoleWorkflow,
  addRolePoliciesWorkflow,
  removeRolePoliciesWorkflow,
  assignUserRolesWorkflow,
  removeUserRolesWorkflow,
  createApiKeyWorkflow,
  revokeApiKeyWorkflow,
  deleteApiKeyWorkflow,
};

/** Every flow of domain/flows.ts is a workflow named `<flow>Workflow` honouring its contract (a compile error otherwise). */
export type WorkflowOf<F extends FlowName> = (input: Flows[F]['input']) => Promise<Flows[F]['result']>;
type Contracts = { [F in FlowName as `${F}Workflow`]: WorkflowOf<F> };
const contracts: Contracts = {
  acceptInviteWorkflow,
  createInvitesWorkflow,
  createUserAccountWorkflow,
  createUsersWorkflow,
  deleteInvitesWorkflow,
  expireInvitesWorkflow,
  reconcileWorkflow,
  refreshInviteTokensWorkflow,
  registerEmailpassWorkflow,
  removeUserAccountWorkflow,
  requestPasswordResetWorkflow,
  updateEmailpassPasswordWorkflow,
  updateUsersWorkflow,
  updateInvitesWorkflow,
  createRoleWorkflow,
  updateRoleWorkflow,
  deleteRoleWorkflow,
  addRolePoliciesWorkflow,
  removeRolePoliciesWorkflow,
  assignUserRolesWorkflow,
  removeUserRolesWorkflow,
  createApiKeyWorkflow,
  revokeApiKeyWorkflow,
  deleteApiKeyWorkflow,
};
void contracts;
