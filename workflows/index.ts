// Workflow code: deterministic orchestration only. Activities do all I/O.
export { createUsersWorkflow } from './create-users';
export { createInvitesWorkflow, refreshInviteTokensWorkflow, deleteInvitesWorkflow } from './invites';
export { acceptInviteWorkflow } from './accept-invite';
export { createUserAccountWorkflow } from './create-user-account';
export { registerEmailpassWorkflow, updateEmailpassPasswordWorkflow } from './emailpass';
export { expireInvitesWorkflow } from './expire-invites';
export { updateUsersWorkflow, removeUserAccountWorkflow } from './users';
export { requestPasswordResetWorkflow } from './password-reset';
export { reconcileWorkflow } from './reconcile';
