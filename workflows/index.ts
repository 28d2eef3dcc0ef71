// Workflow code: deterministic orchestration only. Activities do all I/O.
export { createUsersWorkflow } from './create-users';
