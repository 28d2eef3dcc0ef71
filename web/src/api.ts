/** An error answer of the API (`{type, message}`), or the network failing. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    /** Why a mailed link cannot be used (link previews only). */
    readonly reason?: string,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** A bearer token; the console itself relies on its httpOnly session cookie. */
  token?: string;
  /**
   * Public pages (invite, reset) send no cookie: an admin's session in the same browser must not turn an
   * invitee's accept into "already authenticated".
   */
  anonymous?: boolean;
  query?: Record<string, string | number | string[] | undefined>;
}

let onUnauthorized: (() => void) | undefined;
/** The console's reaction to a 401 on an admin route: back to the login page. */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

export function withQuery(path: string, query: RequestOptions['query'] = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) params.append(k, String(one));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: opts.anonymous ? 'omit' : 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const e = (data ?? {}) as { type?: string; message?: string; reason?: string };
    if (res.status === 401 && path.startsWith('/admin/') && !opts.anonymous && !opts.token) onUnauthorized?.();
    throw new ApiError(
      res.status,
      e.type ?? 'unknown_error',
      e.message ?? `The server answered ${res.status} ${res.statusText}`.trim(),
      e.reason,
    );
  }
  return data as T;
}

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export interface User {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  avatar_url: string | null;
  metadata: Record<string, unknown> | null;
  created_at: string;
  updated_at: string;
}

export type InviteStatus = 'pending' | 'accepted' | 'expired' | 'revoked';

export interface Invite {
  id: string;
  email: string;
  status: InviteStatus;
  accepted: boolean;
  accepted_at: string | null;
  expires_at: string;
  delivery_status: 'pending' | 'sent' | 'failed' | null;
  metadata: Record<string, unknown> | null;
  /** The inviter's user id, recorded by the server (invites made before RBAC: in `metadata.invited_by`). */
  invited_by?: string | null;
  created_at: string;
  updated_at: string;
}

export interface AppConfig {
  temporal_ui_url: string;
  temporal_namespace: string;
  /** The page invite links open (INVITE_ACCEPT_URL): copied links are the mailed ones. */
  invite_accept_url?: string;
}

export const displayName = (u: Pick<User, 'first_name' | 'last_name' | 'email'>): string =>
  [u.first_name, u.last_name].filter(Boolean).join(' ') || u.email;

const dateFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});
export const formatDate = (iso: string | null | undefined): string => (iso ? dateFormat.format(new Date(iso)) : '—');

/** Signs in: a bearer from the password, turned into the httpOnly session cookie (the bearer is then dropped). */
export async function signIn(email: string, password: string): Promise<void> {
  const { token } = await api<{ token: string }>('/auth/user/emailpass', {
    method: 'POST',
    body: { email, password },
    anonymous: true,
  });
  await api('/auth/session', { method: 'POST', token });
}

export const PASSWORD_MIN_LENGTH = 8;

/** The API's password rule, checked before sending (the API checks it again). */
export function passwordProblem(password: string): string | undefined {
  if (!password) return 'Enter a password.';
  if (password.length < PASSWORD_MIN_LENGTH)
    return `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
  return undefined;
}
