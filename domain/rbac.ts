import type { Metadata } from './users';

/*
 * Roles and permissions (Medusa's RBAC). A policy is `resource:operation`; either part may be `*`.
 * The policies below are declared here, in code, and synced into the rbac_policy table at every
 * start (store/rbac.ts). Pure: workflow code imports it.
 */

export const RBAC_RESOURCES = ['user', 'invite', 'rbac_role', 'rbac_policy', 'api_key', 'webhook'] as const;
export const RBAC_OPERATIONS = ['read', 'create', 'update', 'delete'] as const;
export type RbacResource = (typeof RBAC_RESOURCES)[number];
export type RbacOperation = (typeof RBAC_OPERATIONS)[number];

/** A policy a route requires, or a role holds (wildcards only in what a role holds). */
export interface PolicyRef {
  resource: string;
  operation: string;
}

export const policyKey = (p: PolicyRef): string => `${p.resource}:${p.operation}`;

const pascal = (s: string) => s.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());

const declare = (resource: string, operation: string) => ({
  key: `${resource}:${operation}`,
  resource,
  operation,
  name: `${operation === '*' ? 'All' : pascal(operation)}${resource === '*' ? 'Resources' : pascal(resource)}`,
});

/**
 * Every declared policy, named as Medusa names them (`invite:create` → `CreateInvite`): each resource ×
 * operation, and the wildcards a role may be given (`invite:*`, `*:read`; `*:*` is Super Admin's).
 */
export const DECLARED_POLICIES: { key: string; resource: string; operation: string; name: string }[] = [
  ...RBAC_RESOURCES.flatMap((resource) => RBAC_OPERATIONS.map((operation) => declare(resource, operation))),
  ...RBAC_RESOURCES.map((resource) => declare(resource, '*')),
  ...RBAC_OPERATIONS.map((operation) => declare('*', operation)),
];

/** Medusa's fixed ids: restored at every start; the role cannot be deleted nor lose `*:*`. */
export const SUPER_ADMIN_ROLE_ID = 'role_super_admin';
export const SUPER_ADMIN_POLICY_ID = 'rpol_super_admin';
export const SUPER_ADMIN_LINK_ID = 'rlpl_super_admin';
export const SUPER_ADMIN_ROLE_NAME = 'Super Admin';
export const SUPER_ADMIN_KEY = '*:*';

/** Whether the held policy keys grant `resource:operation` (Medusa's wildcards: `r:*`, `*:op`, `*:*`). */
export function grants(held: ReadonlySet<string> | readonly string[], required: PolicyRef): boolean {
  const set = held instanceof Set ? held : new Set(held as readonly string[]);
  const { resource: r, operation: o } = required;
  return set.has(`${r}:${o}`) || set.has(`${r}:*`) || set.has(`*:${o}`) || set.has('*:*');
}

/** The required policies the held ones lack (keys), in the order required. */
export function missingPolicies(held: readonly string[], required: readonly PolicyRef[]): string[] {
  const set = new Set(held);
  return required.filter((p) => !grants(set, p)).map(policyKey);
}

/**
 * Whether a caller holding `held` may grant policies `granted` (each may itself be a wildcard): a
 * wildcard is granted only by an equal or wider wildcard the caller holds.
 */
export function mayGrant(held: readonly string[], granted: readonly string[]): boolean {
  const set = new Set(held);
  return granted.every((key) => {
    const [resource, operation] = key.split(':');
    return grants(set, { resource, operation });
  });
}

/** Concrete permissions (no `*`), sorted: wildcards expanded against the known keys. */
export function expandPermissions(held: readonly string[], known: readonly string[]): string[] {
  const set = new Set(held);
  const concrete = new Set(
    [...known, ...held]
      .filter((k) => !k.includes('*'))
      .filter((k) => {
        const [resource, operation] = k.split(':');
        return grants(set, { resource, operation });
      }),
  );
  return [...concrete].sort();
}

export const FORBIDDEN_MESSAGE = 'Forbidden';
export const ESCALATION_MESSAGE = 'You do not have permission to assign these roles';
export const insufficientMessage = (missing: readonly string[]) =>
  `Insufficient permissions. Required policies: ${missing.join(', ')}`;
export const missingRolesMessage = (ids: readonly string[]) => `The following role IDs do not exist: ${ids.join(', ')}`;
export const LAST_SUPER_ADMIN_MESSAGE = 'The last Super Admin cannot lose the Super Admin role or be deleted';

export interface RoleDTO {
  id: string;
  name: string;
  description: string | null;
  metadata: Metadata | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface PolicyDTO {
  id: string;
  key: string;
  resource: string;
  operation: string;
  name: string | null;
  description: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface RolePolicyDTO {
  id: string;
  role_id: string;
  policy_id: string;
  policy: PolicyDTO;
}

export interface NewRole {
  name: string;
  description?: string | null;
  metadata?: Metadata | null;
}

export interface RoleUpdate {
  id: string;
  name?: string;
  description?: string | null;
  metadata?: Metadata | null;
}

/** A role row as it was, for an undo (restores name, description, metadata and deleted_at exactly). */
export interface RoleSnapshot {
  id: string;
  name: string;
  description: string | null;
  metadata: Metadata | null;
  deleted_at: string | null;
  updated_at: string;
}

/** A role-policy link to create (its id decided by the workflow). */
export interface RolePolicyLink {
  id: string;
  role_id: string;
  policy_id: string;
  /** As it was, when the link is a snapshot an undo restores exactly. */
  created_at?: string;
}

/** A user-role link. */
export interface UserRoleLink {
  user_id: string;
  role_id: string;
  /** As it was, when the link is a snapshot an undo restores exactly. */
  created_at?: string;
}

/** Who grants (a user or an API key): its held policies are re-read inside the granting transaction. */
export interface Grantor {
  type: 'user' | 'api_key';
  id: string;
}
