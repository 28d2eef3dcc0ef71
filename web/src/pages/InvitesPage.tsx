import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, displayName, errorMessage, formatDate, type Invite, type InviteStatus, type User } from '../api';
import { Field, focusFirstInvalid } from '../components/Field';
import { AccessDenied, Alert, EmptyState, Loading, Notice } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { Pager } from '../components/Pager';
import { TemporalLink } from '../components/TemporalLink';
import { can, useConsole } from '../console';
import { navigate } from '../router';
import { useList } from './useList';

export const INVITES_PAGE_SIZE = 20;
type InviteWithToken = Invite & { token: string };
interface Role {
  id: string;
  name: string;
  description?: string | null;
}

const STATUS_FILTERS: { value: string; label: string }[] = [
  { value: '', label: 'Pending, accepted and expired' },
  { value: 'pending', label: 'Pending' },
  { value: 'accepted', label: 'Accepted' },
  { value: 'expired', label: 'Expired' },
  { value: 'revoked', label: 'Revoked' },
];
const STATUS_LABEL: Record<InviteStatus, string> = {
  pending: 'Pending',
  accepted: 'Accepted',
  expired: 'Expired',
  revoked: 'Revoked',
};

/** Who invited: recorded by the server; invites the console made before it did carry it in their metadata. */
const invitedBy = (i: Invite): string | undefined =>
  i.invited_by ?? (typeof i.metadata?.invited_by === 'string' ? i.metadata.invited_by : undefined);

/** Invites: send one (by e-mail, with roles once RBAC exists), filter by status, resend, copy the link, revoke. */
export function InvitesPage({ query }: { query: URLSearchParams }) {
  const { access, config, me } = useConsole();
  const status = query.get('status') ?? '';
  const offset = Number(query.get('offset') ?? 0) || 0;
  const list = useList(
    () =>
      api<{ invites: Invite[]; count: number }>('/admin/invites', {
        query: { status: status || undefined, offset, limit: INVITES_PAGE_SIZE, order: '-created_at' },
      }),
    [status, offset],
  );
  // Links are only known from the answer of an invite or a resend (the API never lists tokens).
  const [links, setLinks] = useState<Record<string, string>>({});
  const [inviters, setInviters] = useState<Record<string, User>>({ [me.id]: me });
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string; link?: { email: string; url: string } }>();

  const linkFor = (token: string) => {
    const url = new URL(config.invite_accept_url ?? `${window.location.origin}/app/invite`);
    url.searchParams.set('token', token);
    return url.toString();
  };
  const remember = (invite: InviteWithToken) => {
    const url = linkFor(invite.token);
    setLinks((l) => ({ ...l, [invite.id]: url }));
    return url;
  };

  // Each inviter is asked for once: a deleted one is not found, and must not be asked for again and again.
  const asked = useRef(new Set<string>([me.id]));
  useEffect(() => {
    if (list.state !== 'ready' || !can(access, 'user:read')) return;
    const missing = [
      ...new Set(list.data.invites.map(invitedBy).filter((id): id is string => !!id && !asked.current.has(id))),
    ];
    if (!missing.length) return;
    missing.forEach((id) => asked.current.add(id));
    api<{ users: User[] }>('/admin/users', {
      query: { id: missing, fields: 'id,email,first_name,last_name', limit: missing.length },
    }).then(
      ({ users }) => setInviters((m) => ({ ...m, ...Object.fromEntries(users.map((u) => [u.id, u])) })),
      () => undefined,
    );
  }, [list, access]);

  const go = (next: { status?: string; offset?: number }) => {
    const params = new URLSearchParams();
    const s = next.status ?? status;
    if (s) params.set('status', s);
    if (next.offset) params.set('offset', String(next.offset));
    const qs = params.toString();
    navigate(`/invites${qs ? `?${qs}` : ''}`);
  };

  if (!can(access, 'invite:read'))
    return (
      <>
        <PageTitle>Invites</PageTitle>
        <AccessDenied permission="invite:read" />
      </>
    );

  const act = async (invite: Invite, action: 'resend' | 'revoke') => {
    setResult(undefined);
    try {
      if (action === 'resend') {
        const { invite: fresh } = await api<{ invite: InviteWithToken }>(
          `/admin/invites/${encodeURIComponent(invite.id)}/resend`,
          { method: 'POST' },
        );
        const url = remember(fresh);
        setResult({
          kind: 'ok',
          text: `Invite to ${invite.email} sent again. The earlier link no longer works.`,
          link: { email: invite.email, url },
        });
      } else {
        await api(`/admin/invites/${encodeURIComponent(invite.id)}`, { method: 'DELETE' });
        setLinks(({ [invite.id]: _gone, ...rest }) => rest);
        setResult({ kind: 'ok', text: `Invite to ${invite.email} revoked. Its link no longer works.` });
      }
      await list.reload();
    } catch (err) {
      setResult({
        kind: 'error',
        text: `${action === 'resend' ? 'The invite was not sent again' : 'The invite was not revoked'}: ${errorMessage(err)}`,
      });
    }
  };

  return (
    <>
      <PageTitle>Invites</PageTitle>
      {can(access, 'invite:create') && (
        <InviteForm
          onInvited={(invite) => {
            const url = remember(invite);
            setResult({ kind: 'ok', text: `Invite sent to ${invite.email}.`, link: { email: invite.email, url } });
            if (status && status !== 'pending') go({ status: '', offset: 0 });
            else void list.reload();
          }}
        />
      )}
      {result && (result.kind === 'ok' ? <Notice>{result.text}</Notice> : <Alert>{result.text}</Alert>)}
      {result?.link && <CopyLink email={result.link.email} url={result.link.url} />}

      <section aria-labelledby="invites-list-title">
        <h2 id="invites-list-title">Sent invites</h2>
        <div className="toolbar">
          <div className="field">
            <label htmlFor="status-filter">Status</label>
            <select id="status-filter" value={status} onChange={(e) => go({ status: e.target.value, offset: 0 })}>
              {STATUS_FILTERS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        {list.state === 'loading' && <Loading what="invites" />}
        {list.state === 'error' &&
          (list.status === 403 ? (
            <AccessDenied permission="invite:read" message={list.message} />
          ) : (
            <Alert title="The invites could not be loaded">{list.message}</Alert>
          ))}
        {list.state === 'ready' &&
          (list.data.invites.length === 0 ? (
            <EmptyState
              title={
                status
                  ? `No ${STATUS_LABEL[status as InviteStatus]?.toLowerCase() ?? status} invites.`
                  : 'No invites yet.'
              }
            >
              {status ? 'Choose another status to see other invites.' : 'Invite someone with the form above.'}
            </EmptyState>
          ) : (
            <>
              <table className="invites">
                <caption className="sr-only">
                  Invites{status ? ` with status ${STATUS_LABEL[status as InviteStatus] ?? status}` : ''}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">E-mail</th>
                    <th scope="col">Status</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Invited</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.invites.map((i) => (
                    <InviteRow
                      key={i.id}
                      invite={i}
                      link={links[i.id]}
                      inviter={invitedBy(i) ? inviters[invitedBy(i)!] : undefined}
                      onAction={act}
                    />
                  ))}
                </tbody>
              </table>
              <Pager
                label="Invites"
                count={list.data.count}
                offset={offset}
                limit={INVITES_PAGE_SIZE}
                shown={list.data.invites.length}
                onPage={(o) => go({ offset: o })}
              />
            </>
          ))}
      </section>
    </>
  );
}

function InviteRow({
  invite,
  link,
  inviter,
  onAction,
}: {
  invite: Invite;
  link?: string;
  inviter?: User;
  onAction: (i: Invite, a: 'resend' | 'revoke') => Promise<void>;
}) {
  const { access, config } = useConsole();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState<'resend' | 'revoke'>();
  const [showLink, setShowLink] = useState(false);
  const open = invite.status === 'pending' || invite.status === 'expired';
  const run = async (a: 'resend' | 'revoke') => {
    setBusy(a);
    await onAction(invite, a);
    setBusy(undefined);
    setConfirming(false);
  };
  return (
    <tr>
      <td>{invite.email}</td>
      <td>
        <span className={`badge badge-${invite.status}`}>{STATUS_LABEL[invite.status]}</span>
        {invite.delivery_status === 'failed' && <span className="delivery-failed"> Mail not delivered</span>}
      </td>
      <td>
        {invite.status === 'accepted' ? `Accepted ${formatDate(invite.accepted_at)}` : formatDate(invite.expires_at)}
      </td>
      <td>
        {formatDate(invite.created_at)}
        {inviter && <span className="muted"> by {displayName(inviter)}</span>}
      </td>
      <td>
        <div className="row-actions">
          {open && can(access, 'invite:update') && (
            <button type="button" className="secondary small" disabled={!!busy} onClick={() => void run('resend')}>
              {busy === 'resend' ? 'Resending…' : 'Resend'}
              <span className="sr-only"> invite to {invite.email}</span>
            </button>
          )}
          {link && (
            <button
              type="button"
              className="secondary small"
              aria-expanded={showLink}
              onClick={() => setShowLink(!showLink)}
            >
              Copy invite link<span className="sr-only"> for {invite.email}</span>
            </button>
          )}
          {open && can(access, 'invite:delete') && !confirming && (
            <button type="button" className="danger small" disabled={!!busy} onClick={() => setConfirming(true)}>
              Revoke<span className="sr-only"> invite to {invite.email}</span>
            </button>
          )}
          <TemporalLink config={config} attribute="UsermodInviteIds" id={invite.id} label="Runs in Temporal" />
        </div>
        {confirming && (
          <div className="confirm" role="group" aria-label={`Confirm revoking the invite to ${invite.email}`}>
            <span>Revoke the invite to {invite.email}? Its link stops working.</span>
            <ConfirmButtons
              busy={busy === 'revoke'}
              onYes={() => void run('revoke')}
              onNo={() => setConfirming(false)}
            />
          </div>
        )}
        {link && showLink && <CopyLink email={invite.email} url={link} autoCopy />}
      </td>
    </tr>
  );
}

function ConfirmButtons({ busy, onYes, onNo }: { busy: boolean; onYes: () => void; onNo: () => void }) {
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => yes.current?.focus(), []);
  return (
    <>
      <button ref={yes} type="button" className="danger small" disabled={busy} onClick={onYes}>
        {busy ? 'Revoking…' : 'Yes, revoke'}
      </button>
      <button type="button" className="secondary small" disabled={busy} onClick={onNo}>
        Cancel
      </button>
    </>
  );
}

/** The invite link, selectable, with a copy button (the clipboard needs a secure context: https or localhost). */
function CopyLink({ email, url, autoCopy = false }: { email: string; url: string; autoCopy?: boolean }) {
  const [copied, setCopied] = useState<'yes' | 'failed'>();
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      input.current?.select();
      setCopied('failed');
    }
  };
  useEffect(() => {
    if (autoCopy) void copy();
  }, []);
  return (
    <div className="copy-link">
      <div className="field">
        <label htmlFor={id}>Invite link for {email}</label>
        <input id={id} ref={input} readOnly value={url} onFocus={(e) => e.target.select()} data-invite-link={email} />
      </div>
      <button type="button" className="secondary small" onClick={() => void copy()}>
        Copy invite link
      </button>
      <span role="status" className="muted">
        {copied === 'yes'
          ? 'Link copied.'
          : copied === 'failed'
            ? 'Copying is blocked here: the link is selected, press Ctrl+C.'
            : ''}
      </span>
    </div>
  );
}

function InviteForm({ onInvited }: { onInvited: (i: InviteWithToken) => void }) {
  const { access } = useConsole();
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<Role[]>();
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    // Roles exist only with RBAC; without it the invite carries none (every user is an administrator).
    if (!access.rbac || !can(access, 'rbac_role:read')) return;
    api<{ roles: Role[] }>('/admin/rbac/roles', { query: { limit: 100 } }).then(
      ({ roles: r }) => setRoles(r),
      () => setRoles([]),
    );
  }, [access]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())
      ? undefined
      : 'Enter an e-mail address, like ada@example.com.';
    setError(found);
    setProblem(undefined);
    if (found) return focusFirstInvalid(form.current);
    setBusy(true);
    try {
      const body: Record<string, unknown> = { email: email.trim() };
      if (roles) body.roles = chosen;
      const { invite } = await api<{ invite: InviteWithToken }>('/admin/invites', { method: 'POST', body });
      setEmail('');
      setChosen([]);
      onInvited(invite);
    } catch (err) {
      setProblem(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite someone</h2>
      {problem && <Alert title="No invite was sent">{problem}</Alert>}
      <form ref={form} onSubmit={submit} noValidate className="invite-form">
        <Field
          label="E-mail"
          type="email"
          name="email"
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={error}
          required
        />
        {roles && roles.length > 0 && (
          <fieldset className="roles">
            <legend>Roles</legend>
            {roles.map((r) => (
              <label key={r.id} className="checkbox">
                <input
                  type="checkbox"
                  checked={chosen.includes(r.id)}
                  onChange={(e) => setChosen(e.target.checked ? [...chosen, r.id] : chosen.filter((c) => c !== r.id))}
                />
                {r.name}
              </label>
            ))}
          </fieldset>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Send invite'}
        </button>
      </form>
    </section>
  );
}
