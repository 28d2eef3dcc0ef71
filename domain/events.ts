/** Medusa's event names, recorded in the outbox table when a flow succeeds. */
export type EventName =
  | 'user.created'
  | 'user.updated'
  | 'user.deleted'
  | 'invite.created'
  | 'invite.resent'
  | 'invite.deleted'
  | 'invite.accepted'
  | 'invite.expired'
  | 'invite.delivery_failed'
  | 'auth.identity_registered'
  | 'auth.password_updated'
  | 'auth.password_reset'
  // The reconciler's repairs (workflows/reconcile.ts).
  | 'reconciler.run_compensated'
  | 'reconciler.claim_released'
  | 'invite.updated'
  // RBAC (issue 12): roles, their policies, user roles, API keys.
  | 'rbac_role.created'
  | 'rbac_role.updated'
  | 'rbac_role.deleted'
  | 'rbac_role_policy.created'
  | 'rbac_role_policy.deleted'
  | 'user_role.assigned'
  | 'user_role.removed'
  | 'api_key.created'
  | 'api_key.revoked'
  | 'api_key.deleted';

export interface EventInput {
  /** Decided by the workflow, so a retried write records each event once (and its undo removes exactly it). */
  id: string;
  name: EventName;
  payload: Record<string, unknown>;
}

export interface EventDTO {
  id: string;
  name: string;
  payload: Record<string, unknown>;
  created_at: string;
  published_at: string | null;
}
