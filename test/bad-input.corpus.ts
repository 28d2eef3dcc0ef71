// The bad-input corpus: requests an attacker (or a broken client) sends to every route. Each must be
// answered quickly with a 4xx `{type, message}` and leave every table as it was (test/bad-input.test.ts).

export interface BadRequest {
  /** What is wrong, for the failure message. */
  why: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Path and query, already encoded (so broken escapes can be sent as they are). */
  path: string;
  /** JSON-serialised unless `raw` (then sent as it is). */
  body?: unknown;
  raw?: boolean;
  headers?: Record<string, string>;
  /** `admin`: with a live admin's bearer; `none`: without any. */
  auth: 'admin' | 'none';
}

/** A value nested `levels` deep; serialised by `toJson` (JSON.stringify itself would overflow the stack). */
class Deep {
  constructor(readonly levels: number) {}
  toJSON() {
    return `__deep_${this.levels}__`;
  }
}
const deep = (levels: number) => new Deep(levels);

/** The request body as sent: JSON, with each Deep spelled out as text. */
export function toJson(v: unknown): string {
  return JSON.stringify(v).replace(
    /"__deep_(\d+)__"/g,
    (_, n: string) => `${'{"a":'.repeat(Number(n))}"bottom"${'}'.repeat(Number(n))}`,
  );
}
const manyKeys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

/** Values no string field may accept (or that have the wrong type), each with a name. */
export const BAD_STRINGS: [string, unknown][] = [
  ['NUL inside', 'a\u0000b'],
  ['only NUL', '\u0000'],
  ['lone high surrogate', 'x\ud800y'],
  ['lone low surrogate', '\udc00'],
  ['900 KB string', 'a'.repeat(900_000)],
  ['3000 characters', 'b'.repeat(3000)],
  ['number', 12345],
  ['boolean', true],
  ['array', ['a', 'b']],
  ['object', { a: 1 }],
  ['nested 5000 deep', deep(5000)],
];

/** Values no e-mail field may accept, beyond BAD_STRINGS. */
const BAD_EMAILS: [string, unknown][] = [
  ...BAD_STRINGS,
  ['255-character e-mail', `${'e'.repeat(243)}@example.com`],
  ['no @', 'not-an-email'],
  ['empty', ''],
  ['SQL', "' OR 1=1 --@example.com"],
];

/** Values no metadata field may accept. */
const BAD_METADATA: [string, unknown][] = [
  ['NUL in a value', { a: 'x\u0000' }],
  ['NUL in a key', { 'k\u0000': 1 }],
  ['lone surrogate in a value', { a: '\ud83d' }],
  ['nested 5000 deep', deep(5000)],
  ['nested 7 deep', deep(7)],
  ['20 KB', { a: 'm'.repeat(20_000) }],
  ['101 keys', manyKeys(101)],
  ['an array', [1, 2]],
  ['a string', 'meta'],
  ['a number', 7],
];

/** Values no id path parameter may accept (already URL-encoded). */
const BAD_IDS: [string, string][] = [
  ['NUL', 'user_%00'],
  ['101 characters (414)', 'u'.repeat(101)],
  ['65 characters', 'u'.repeat(65)],
  ['broken escape', '%zz'],
  ['SQL', "x'%20OR%201%3D1"],
  ['dots and slashes', '..%2F..%2Fetc'],
  ['lone surrogate', '%ED%A0%80'],
  ['spaces', 'a%20b'],
];

/** Values no list query may accept. */
const BAD_LIST_QUERIES: [string, string][] = [
  ['limit=abc', 'limit=abc'],
  ['limit=-1', 'limit=-1'],
  ['limit=1.5', 'limit=1.5'],
  ['limit=1e3', 'limit=1e3'],
  ['limit=99999', 'limit=99999'],
  ['limit empty', 'limit='],
  ['limit twice', 'limit=1&limit=2'],
  ['offset=x', 'offset=x'],
  ['offset=-5', 'offset=-5'],
  ['offset huge', 'offset=99999999999999999999'],
  ['order unknown', 'order=password_hash'],
  ['order 300 characters', `order=${'o'.repeat(300)}`],
  ['order NUL', 'order=id%00'],
  ['fields NUL', 'fields=id%00'],
  ['fields 600 characters', `fields=${'f'.repeat(600)}`],
  ['q NUL', 'q=%00'],
  ['q 300 characters', `q=${'q'.repeat(300)}`],
  ['id NUL', 'id=a%00'],
  ['id 101 values', Array.from({ length: 101 }, (_, i) => `id=x${i}`).join('&')],
  ['email NUL', 'email=a%00%40b.co'],
  ['unknown parameter', 'bogus=1'],
  ['parameter NUL name', 'a%00=1'],
];

const INVITE_LIST_QUERIES: [string, string][] = [
  ['status unknown', 'status=bogus'],
  ['expires_at[$gt] not a date', 'expires_at[$gt]=notadate'],
  ['expires_at[$lt] month 13', 'expires_at[$lt]=2026-13-45'],
  ['expires_at[$gte] NUL', 'expires_at[$gte]=2026-01-01%00'],
  ['expires_at[$lte] 3000 characters', `expires_at[$lte]=${'9'.repeat(3000)}`],
  ['expires_at[$foo]', 'expires_at[$foo]=2026-01-01'],
];

/** Bodies that are not a JSON object, sent raw to every route that takes a body. */
const BAD_BODIES: [string, string, Record<string, string>?][] = [
  ['null', 'null'],
  ['an array', '[]'],
  ['a string', '"text"'],
  ['a number', '123'],
  ['truncated JSON', '{"email": '],
  ['not JSON', 'email=a@b.co'],
  ['text/plain', 'hello', { 'content-type': 'text/plain' }],
  ['1.5 MB', JSON.stringify({ email: 'x'.repeat(1_500_000) })],
];

const BODY_ROUTES: { path: string; auth: BadRequest['auth'] }[] = [
  { path: '/auth/user/emailpass/register', auth: 'none' },
  { path: '/auth/user/emailpass', auth: 'none' },
  { path: '/auth/user/emailpass/reset-password', auth: 'none' },
  { path: '/auth/user/emailpass/update?token=t', auth: 'none' },
  { path: '/admin/invites', auth: 'admin' },
  { path: '/admin/invites/accept?token=t', auth: 'none' },
  { path: '/admin/users', auth: 'admin' },
  { path: '/admin/users/user_01ZZZZZZZZZZZZZZZZZZZZZZZZ', auth: 'admin' },
  // RBAC and API keys (issue 12).
  { path: '/admin/invites/batch', auth: 'admin' },
  { path: '/admin/rbac/roles', auth: 'admin' },
  { path: '/admin/rbac/roles/role_super_admin', auth: 'admin' },
  { path: '/admin/rbac/roles/role_super_admin/policies', auth: 'admin' },
  { path: '/admin/users/user_01ZZZZZZZZZZZZZZZZZZZZZZZZ/roles', auth: 'admin' },
  { path: '/admin/api-keys', auth: 'admin' },
  { path: '/admin/api-keys/apk_01ZZZZZZZZZZZZZZZZZZZZZZZZ/revoke', auth: 'admin' },
];

const GOOD_PASSWORD = 'corpus passphrase 7';

/** The whole corpus. `ids` are real ids (an invite, a user) so that id routes get past "not found". */
export function badRequests(ids: { invite: string; user: string; inviteToken: string }): BadRequest[] {
  const out: BadRequest[] = [];
  const add = (r: BadRequest) => out.push(r);

  for (const [why, v] of BAD_EMAILS) {
    add({
      why: `register: email ${why}`,
      method: 'POST',
      path: '/auth/user/emailpass/register',
      body: { email: v, password: GOOD_PASSWORD },
      auth: 'none',
    });
    add({
      why: `login: email ${why}`,
      method: 'POST',
      path: '/auth/user/emailpass',
      body: { email: v, password: GOOD_PASSWORD },
      auth: 'none',
    });
    add({
      why: `reset request: identifier ${why}`,
      method: 'POST',
      path: '/auth/user/emailpass/reset-password',
      body: { identifier: v },
      auth: 'none',
    });
    add({
      why: `create invite: email ${why}`,
      method: 'POST',
      path: '/admin/invites',
      body: { email: v },
      auth: 'admin',
    });
    add({
      why: `create user: email ${why}`,
      method: 'POST',
      path: '/admin/users',
      body: { email: v, password: GOOD_PASSWORD },
      auth: 'admin',
    });
  }
  for (const [why, v] of BAD_STRINGS) {
    const email = `corpus-${out.length}@example.com`;
    add({
      why: `register: password ${why}`,
      method: 'POST',
      path: '/auth/user/emailpass/register',
      body: { email, password: v },
      auth: 'none',
    });
    add({
      why: `login: password ${why}`,
      method: 'POST',
      path: '/auth/user/emailpass',
      body: { email, password: v },
      auth: 'none',
    });
    add({
      why: `create user: password ${why}`,
      method: 'POST',
      path: '/admin/users',
      body: { email, password: v },
      auth: 'admin',
    });
    add({
      why: `create user: first_name ${why}`,
      method: 'POST',
      path: '/admin/users',
      body: { email, password: GOOD_PASSWORD, first_name: v },
      auth: 'admin',
    });
    add({
      why: `update user: first_name ${why}`,
      method: 'POST',
      path: `/admin/users/${ids.user}`,
      body: { first_name: v },
      auth: 'admin',
    });
    add({
      why: `update user: last_name ${why}`,
      method: 'POST',
      path: `/admin/users/${ids.user}`,
      body: { last_name: v },
      auth: 'admin',
    });
    add({
      why: `update user: avatar_url ${why}`,
      method: 'POST',
      path: `/admin/users/${ids.user}`,
      body: { avatar_url: v },
      auth: 'admin',
    });
    add({
      why: `accept: first_name ${why}`,
      method: 'POST',
      path: `/admin/invites/accept?token=${ids.inviteToken}`,
      body: { password: GOOD_PASSWORD, first_name: v },
      auth: 'none',
    });
    add({
      why: `accept: password ${why}`,
      method: 'POST',
      path: `/admin/invites/accept?token=${ids.inviteToken}`,
      body: { password: v },
      auth: 'none',
    });
    add({
      why: `reset update: password ${why}`,
      method: 'POST',
      path: '/auth/user/emailpass/update?token=garbage',
      body: { password: v },
      auth: 'none',
    });
  }
  for (const [why, v] of [
    ['javascript: URL', 'javascript:alert(1)'],
    ['data: URL', 'data:text/html,<script>1</script>'],
    ['relative path', '/avatar.png'],
    ['file: URL', 'file:///etc/passwd'],
    ['URL with a space', 'https://a b.example/x.png'],
  ] as const) {
    add({
      why: `update user: avatar_url ${why}`,
      method: 'POST',
      path: `/admin/users/${ids.user}`,
      body: { avatar_url: v },
      auth: 'admin',
    });
  }
  for (const [why, v] of BAD_METADATA) {
    add({
      why: `create invite: metadata ${why}`,
      method: 'POST',
      path: '/admin/invites',
      body: { email: `corpus-meta-${out.length}@example.com`, metadata: v },
      auth: 'admin',
    });
    add({
      why: `update user: metadata ${why}`,
      method: 'POST',
      path: `/admin/users/${ids.user}`,
      body: { metadata: v },
      auth: 'admin',
    });
  }
  for (const [why, v] of [
    ['NUL', 'a%00b'],
    ['3000 characters', 't'.repeat(3000)],
    ['lone surrogate', '%ED%A0%80'],
    ['garbage', 'garbage'],
    ['empty', ''],
  ] as const) {
    add({
      why: `accept: token ${why}`,
      method: 'POST',
      path: `/admin/invites/accept?token=${v}`,
      body: { password: GOOD_PASSWORD },
      auth: 'none',
    });
    add({
      why: `reset update: token ${why}`,
      method: 'POST',
      path: `/auth/user/emailpass/update?token=${v}`,
      body: { password: GOOD_PASSWORD },
      auth: 'none',
    });
  }
  for (const [why, id] of BAD_IDS) {
    add({ why: `get invite: id ${why}`, method: 'GET', path: `/admin/invites/${id}`, auth: 'admin' });
    add({ why: `revoke invite: id ${why}`, method: 'DELETE', path: `/admin/invites/${id}`, auth: 'admin' });
    add({ why: `resend invite: id ${why}`, method: 'POST', path: `/admin/invites/${id}/resend`, auth: 'admin' });
    add({ why: `get user: id ${why}`, method: 'GET', path: `/admin/users/${id}`, auth: 'admin' });
    add({
      why: `update user: id ${why}`,
      method: 'POST',
      path: `/admin/users/${id}`,
      body: { first_name: 'x' },
      auth: 'admin',
    });
    add({ why: `delete user: id ${why}`, method: 'DELETE', path: `/admin/users/${id}`, auth: 'admin' });
  }
  for (const [why, q] of BAD_LIST_QUERIES) {
    add({ why: `list invites: ${why}`, method: 'GET', path: `/admin/invites?${q}`, auth: 'admin' });
    add({ why: `list users: ${why}`, method: 'GET', path: `/admin/users?${q}`, auth: 'admin' });
  }
  for (const [why, q] of INVITE_LIST_QUERIES)
    add({ why: `list invites: ${why}`, method: 'GET', path: `/admin/invites?${q}`, auth: 'admin' });
  for (const [why, q] of [
    ['fields NUL', 'fields=%00'],
    ['unknown parameter', 'x=1'],
  ] as const) {
    add({ why: `get invite: ${why}`, method: 'GET', path: `/admin/invites/${ids.invite}?${q}`, auth: 'admin' });
    add({ why: `get user: ${why}`, method: 'GET', path: `/admin/users/${ids.user}?${q}`, auth: 'admin' });
    add({ why: `me: ${why}`, method: 'GET', path: `/admin/users/me?${q}`, auth: 'admin' });
  }
  for (const route of BODY_ROUTES) {
    for (const [why, raw, headers] of BAD_BODIES) {
      add({
        why: `${route.path}: body ${why}`,
        method: 'POST',
        path: route.path,
        body: raw,
        raw: true,
        headers,
        auth: route.auth,
      });
    }
    add({
      why: `${route.path}: unknown field`,
      method: 'POST',
      path: route.path,
      body: { email: 'a@b.co', password: GOOD_PASSWORD, admin: true },
      auth: route.auth,
    });
  }
  // Every admin route without a bearer, and with bearers that are not.
  const adminRoutes: [BadRequest['method'], string, unknown?][] = [
    ['GET', '/admin/invites'],
    ['POST', '/admin/invites', { email: 'x@example.com' }],
    ['GET', `/admin/invites/${ids.invite}`],
    ['DELETE', `/admin/invites/${ids.invite}`],
    ['POST', `/admin/invites/${ids.invite}/resend`],
    ['GET', '/admin/users'],
    ['GET', '/admin/users/me'],
    ['GET', `/admin/users/${ids.user}`],
    ['POST', `/admin/users/${ids.user}`, { first_name: 'x' }],
    ['DELETE', `/admin/users/${ids.user}`],
    ['POST', '/admin/users', { email: 'x@example.com', password: GOOD_PASSWORD }],
    ['POST', '/auth/token/refresh'],
    ['POST', '/auth/session'],
  ];
  for (const [method, path, body] of adminRoutes) {
    add({ why: `${method} ${path}: no bearer`, method, path, body, auth: 'none' });
    add({
      why: `${method} ${path}: garbage bearer`,
      method,
      path,
      body,
      auth: 'none',
      headers: { authorization: 'Bearer x.y.z' },
    });
    add({
      why: `${method} ${path}: garbage cookie`,
      method,
      path,
      body,
      auth: 'none',
      headers: { cookie: 'usermod_session=%00%ff' },
    });
  }
  // RBAC and API keys (issue 12): bad names, ids, grants, bounds, and credentials that are not.
  for (const [why, v] of BAD_STRINGS) {
    add({
      why: `create role: name ${why}`,
      method: 'POST',
      path: '/admin/rbac/roles',
      body: { name: v },
      auth: 'admin',
    });
    add({
      why: `create API key: title ${why}`,
      method: 'POST',
      path: '/admin/api-keys',
      body: { title: v },
      auth: 'admin',
    });
    add({
      why: `assign roles: role id ${why}`,
      method: 'POST',
      path: `/admin/users/${ids.user}/roles`,
      body: { roles: [v] },
      auth: 'admin',
    });
    add({
      why: `invite: role id ${why}`,
      method: 'POST',
      path: '/admin/invites',
      body: { email: `corpus-role-${out.length}@example.com`, roles: [v] },
      auth: 'admin',
    });
  }
  for (const [why, body] of [
    ['empty name', { name: '' }],
    ['policy_ids empty', { name: 'corpus-role', policy_ids: [] }],
    ['policy_ids unknown', { name: 'corpus-role', policy_ids: ['rpol_missing'] }],
    ['policy_ids 101', { name: 'corpus-role', policy_ids: Array.from({ length: 101 }, (_, i) => `rpol_${i}`) }],
    ['parent_id (not supported)', { name: 'corpus-role', parent_id: 'role_x' }],
  ] as const)
    add({ why: `create role: ${why}`, method: 'POST', path: '/admin/rbac/roles', body, auth: 'admin' });
  for (const [why, body] of [
    ['roles empty', { roles: [] }],
    ['roles unknown', { roles: ['role_missing'] }],
    ['roles not an array', { roles: 'role_super_admin' }],
  ] as const) {
    add({ why: `assign roles: ${why}`, method: 'POST', path: `/admin/users/${ids.user}/roles`, body, auth: 'admin' });
    add({ why: `remove roles: ${why}`, method: 'DELETE', path: `/admin/users/${ids.user}/roles`, body, auth: 'admin' });
  }
  add({
    why: 'add role policies: unknown policy',
    method: 'POST',
    path: '/admin/rbac/roles/role_super_admin/policies',
    body: { policies: ['rpol_missing'] },
    auth: 'admin',
  });
  add({
    why: 'last Super Admin: remove *:* from Super Admin',
    method: 'DELETE',
    path: '/admin/rbac/roles/role_super_admin/policies/rpol_super_admin',
    auth: 'admin',
  });
  add({
    why: 'delete the Super Admin role',
    method: 'DELETE',
    path: '/admin/rbac/roles/role_super_admin',
    auth: 'admin',
  });
  for (const [why, v] of [
    ['59 seconds', 59],
    ['31 days', 31 * 24 * 3600],
    ['a fraction', 1.5],
    ['a string', '3600'],
  ] as const)
    add({
      why: `invite: expires_in ${why}`,
      method: 'POST',
      path: '/admin/invites',
      body: { email: `corpus-exp-${out.length}@example.com`, expires_in: v },
      auth: 'admin',
    });
  add({
    why: 'invite batch: empty',
    method: 'POST',
    path: '/admin/invites/batch',
    body: { invites: [] },
    auth: 'admin',
  });
  add({
    why: 'invite batch: 101 invites',
    method: 'POST',
    path: '/admin/invites/batch',
    body: { invites: Array.from({ length: 101 }, (_, i) => ({ email: `corpus-batch-${i}@example.com` })) },
    auth: 'admin',
  });
  for (const [why, v] of [
    ['negative', -1],
    ['31 days', 31 * 24 * 3600],
    ['a string', '60'],
  ] as const)
    add({
      why: `revoke API key: revoke_in ${why}`,
      method: 'POST',
      path: '/admin/api-keys/apk_01ZZZZZZZZZZZZZZZZZZZZZZZZ/revoke',
      body: { revoke_in: v },
      auth: 'admin',
    });
  for (const [why, id] of BAD_IDS) {
    add({ why: `get role: id ${why}`, method: 'GET', path: `/admin/rbac/roles/${id}`, auth: 'admin' });
    add({ why: `delete role: id ${why}`, method: 'DELETE', path: `/admin/rbac/roles/${id}`, auth: 'admin' });
    add({ why: `user roles: id ${why}`, method: 'GET', path: `/admin/users/${id}/roles`, auth: 'admin' });
    add({ why: `get API key: id ${why}`, method: 'GET', path: `/admin/api-keys/${id}`, auth: 'admin' });
    add({ why: `delete API key: id ${why}`, method: 'DELETE', path: `/admin/api-keys/${id}`, auth: 'admin' });
  }
  for (const [why, q] of BAD_LIST_QUERIES) {
    add({ why: `list roles: ${why}`, method: 'GET', path: `/admin/rbac/roles?${q}`, auth: 'admin' });
    add({ why: `list policies: ${why}`, method: 'GET', path: `/admin/rbac/policies?${q}`, auth: 'admin' });
    add({ why: `list API keys: ${why}`, method: 'GET', path: `/admin/api-keys?${q}`, auth: 'admin' });
  }
  const rbacRoutes: [BadRequest['method'], string, unknown?][] = [
    ['GET', '/admin/rbac/roles'],
    ['POST', '/admin/rbac/roles', { name: 'corpus' }],
    ['GET', '/admin/rbac/policies'],
    ['GET', '/admin/rbac/me/permissions'],
    ['POST', `/admin/users/${ids.user}/roles`, { roles: ['role_super_admin'] }],
    ['GET', '/admin/api-keys'],
    ['POST', '/admin/api-keys', { title: 'corpus' }],
  ];
  for (const [method, path, body] of rbacRoutes) {
    add({ why: `${method} ${path}: no credentials`, method, path, body, auth: 'none' });
    for (const [what, authorization] of [
      ['unknown secret key', `Basic sk_${'0'.repeat(64)}`],
      ['secret key as Bearer', `Bearer sk_${'0'.repeat(64)}`],
      ['Basic not a key', 'Basic dXNlcjpwYXNz'],
      ['Basic garbage', 'Basic %00%ff'],
    ] as const)
      add({ why: `${method} ${path}: ${what}`, method, path, body, auth: 'none', headers: { authorization } });
  }
  // The routes without input still refuse what cannot be stored.
  add({ why: 'health: NUL in the query', method: 'GET', path: '/health?x=%00', auth: 'none' });
  add({ why: 'liveness: NUL in the query', method: 'GET', path: '/health/live?x=%00', auth: 'none' });
  add({ why: 'logout: NUL in the query', method: 'DELETE', path: '/auth/session?x=%00', auth: 'none' });
  // Headers and URLs the HTTP layer refuses before any route: still {type, message}.
  add({
    why: 'header of 20 KB (431)',
    method: 'GET',
    path: '/admin/users',
    headers: { 'x-padding': 'p'.repeat(20_000) },
    auth: 'admin',
  });
  add({ why: 'URL of 20 KB (431)', method: 'GET', path: `/admin/users?q=${'u'.repeat(20_000)}`, auth: 'admin' });
  add({ why: 'broken escape in the path', method: 'GET', path: '/admin/users/%E0%A4%A', auth: 'admin' });
  for (const [why, key] of [
    ['spaces', 'a key with spaces'],
    ['201 characters', 'k'.repeat(201)],
    ['non-ASCII', 'clé'],
  ] as const) {
    add({
      why: `create invite: Idempotency-Key ${why}`,
      method: 'POST',
      path: '/admin/invites',
      body: { email: `corpus-key-${out.length}@example.com` },
      headers: { 'idempotency-key': encodeURI(key) },
      auth: 'admin',
    });
    add({
      why: `register: Idempotency-Key ${why}`,
      method: 'POST',
      path: '/auth/user/emailpass/register',
      body: { email: `corpus-key-${out.length}@example.com`, password: GOOD_PASSWORD },
      headers: { 'idempotency-key': encodeURI(key) },
      auth: 'none',
    });
  }
  return out;
}
