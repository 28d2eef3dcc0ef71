import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, displayName, errorMessage, formatDate, type User } from '../api';
import { Field, focusFirstInvalid, TextArea } from '../components/Field';
import { AccessDenied, Alert, Loading, Notice } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { TemporalLink } from '../components/TemporalLink';
import { can, useConsole } from '../console';
import { setFlash } from '../flash';
import { Link, navigate } from '../router';

type Load = { state: 'loading' } | { state: 'error'; message: string; status: number } | { state: 'ready'; user: User };

/** One user: its details, a form for names, avatar and metadata, delete (others only), and its runs in Temporal. */
export function UserPage({ id }: { id: string }) {
  const { access, me, config, refreshMe } = useConsole();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  useEffect(() => {
    api<{ user: User }>(`/admin/users/${encodeURIComponent(id)}`).then(
      ({ user }) => setLoad({ state: 'ready', user }),
      (err) =>
        setLoad({ state: 'error', message: errorMessage(err), status: err instanceof ApiError ? err.status : 0 }),
    );
  }, [id]);

  if (!can(access, 'user:read'))
    return (
      <>
        <PageTitle>User</PageTitle>
        <AccessDenied permission="user:read" />
      </>
    );
  if (load.state === 'loading') return <Loading what="the user" />;
  if (load.state === 'error') {
    return (
      <>
        <PageTitle>{load.status === 404 ? 'User not found' : 'User'}</PageTitle>
        {load.status === 403 ? (
          <AccessDenied permission="user:read" message={load.message} />
        ) : (
          <Alert title="The user could not be loaded">{load.message}</Alert>
        )}
        <p>
          <Link to="/users">Back to users</Link>
        </p>
      </>
    );
  }
  const { user } = load;
  const self = user.id === me.id;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/users">Users</Link>
      </p>
      <PageTitle>{displayName(user)}</PageTitle>
      <div className="user-header">
        <Avatar user={user} />
        <dl className="facts">
          <div>
            <dt>E-mail</dt>
            <dd>{user.email}</dd>
          </div>
          <div>
            <dt>Id</dt>
            <dd>
              <code>{user.id}</code>
            </dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>{formatDate(user.created_at)}</dd>
          </div>
          <div>
            <dt>Updated</dt>
            <dd>{formatDate(user.updated_at)}</dd>
          </div>
        </dl>
      </div>
      <p>
        <TemporalLink config={config} attribute="UsermodUserIds" id={user.id} label="Runs of this user in Temporal" />
      </p>
      {can(access, 'user:update') ? (
        <EditUser
          user={user}
          onSaved={async (u) => {
            setLoad({ state: 'ready', user: u });
            if (self) await refreshMe();
          }}
        />
      ) : (
        <AccessDenied permission="user:update" message="You may see this user but not edit it." />
      )}
      {!self && can(access, 'user:delete') && <DeleteUser user={user} />}
      {self && (
        <p className="aside">This is you. Another administrator can delete your user; you cannot delete yourself.</p>
      )}
    </>
  );
}

/** The avatar, or the initials when there is none or it does not load. */
function Avatar({ user }: { user: User }) {
  const [failed, setFailed] = useState(false);
  useEffect(() => setFailed(false), [user.avatar_url]);
  if (user.avatar_url && !failed) {
    return (
      <img
        className="avatar"
        src={user.avatar_url}
        alt=""
        width={56}
        height={56}
        referrerPolicy="no-referrer"
        onError={() => setFailed(true)}
      />
    );
  }
  const initials = (user.first_name?.[0] ?? '') + (user.last_name?.[0] ?? '') || user.email[0];
  return (
    <span className="avatar avatar-initials" aria-hidden="true">
      {initials.toUpperCase()}
    </span>
  );
}

function metadataText(m: Record<string, unknown> | null): string {
  return m && Object.keys(m).length ? JSON.stringify(m, null, 2) : '';
}

function EditUser({ user, onSaved }: { user: User; onSaved: (u: User) => Promise<void> }) {
  const [values, setValues] = useState({
    first_name: user.first_name ?? '',
    last_name: user.last_name ?? '',
    avatar_url: user.avatar_url ?? '',
    metadata: metadataText(user.metadata),
  });
  const [errors, setErrors] = useState<{ avatar_url?: string; metadata?: string }>({});
  const [problem, setProblem] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const set = (k: keyof typeof values) => (e: { target: { value: string } }) => {
    setSaved(false);
    setValues({ ...values, [k]: e.target.value });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let metadata: Record<string, unknown> | null = null;
    const found: typeof errors = {};
    if (values.metadata.trim()) {
      try {
        const parsed: unknown = JSON.parse(values.metadata);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
          metadata = parsed as Record<string, unknown>;
        else found.metadata = 'Metadata must be a JSON object, like {"team": "support"}.';
      } catch (err) {
        found.metadata = `Metadata is not valid JSON: ${errorMessage(err)}`;
      }
    }
    if (values.avatar_url.trim() && !/^(https?:\/\/|data:image\/)/i.test(values.avatar_url.trim()))
      found.avatar_url = 'The avatar must be a web address starting with https:// or http://.';
    setErrors(found);
    setProblem(undefined);
    setSaved(false);
    if (found.metadata || found.avatar_url) return focusFirstInvalid(form.current);
    setBusy(true);
    try {
      const body = {
        first_name: values.first_name.trim() || null,
        last_name: values.last_name.trim() || null,
        avatar_url: values.avatar_url.trim() || null,
        metadata,
      };
      const { user: updated } = await api<{ user: User }>(`/admin/users/${encodeURIComponent(user.id)}`, {
        method: 'POST',
        body,
      });
      await onSaved(updated);
      setValues({
        first_name: updated.first_name ?? '',
        last_name: updated.last_name ?? '',
        avatar_url: updated.avatar_url ?? '',
        metadata: metadataText(updated.metadata),
      });
      setSaved(true);
    } catch (err) {
      setProblem(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="edit-title">
      <h2 id="edit-title">Edit user</h2>
      {problem && <Alert title="The user was not saved">{problem}</Alert>}
      {saved && <Notice>Changes saved.</Notice>}
      <form ref={form} onSubmit={submit} noValidate>
        <div className="field-row">
          <Field
            label="First name"
            name="first_name"
            value={values.first_name}
            onChange={set('first_name')}
            autoComplete="off"
          />
          <Field
            label="Last name"
            name="last_name"
            value={values.last_name}
            onChange={set('last_name')}
            autoComplete="off"
          />
        </div>
        <Field
          label="Avatar URL"
          name="avatar_url"
          type="url"
          value={values.avatar_url}
          onChange={set('avatar_url')}
          error={errors.avatar_url}
          autoComplete="off"
        />
        <TextArea
          label="Metadata (JSON object)"
          name="metadata"
          rows={5}
          hint='Replaces the whole metadata, e.g. {"team": "support"}. Leave empty for none.'
          value={values.metadata}
          onChange={set('metadata')}
          error={errors.metadata}
          spellCheck={false}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save changes'}
        </button>
      </form>
    </section>
  );
}

function DeleteUser({ user }: { user: User }) {
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  const remove = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await api(`/admin/users/${encodeURIComponent(user.id)}`, { method: 'DELETE' });
      setFlash(`User ${user.email} deleted.`);
      navigate('/users');
    } catch (err) {
      setProblem(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <section className="panel danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete user</h2>
      <p>Deleting {user.email} also removes their logins: they can no longer sign in.</p>
      {problem && <Alert title="The user was not deleted">{problem}</Alert>}
      {confirming ? (
        <div className="confirm" role="group" aria-label="Confirm deletion">
          <p>Delete {displayName(user)} for good?</p>
          <button ref={confirmButton} type="button" className="danger" disabled={busy} onClick={() => void remove()}>
            {busy ? 'Deleting…' : 'Yes, delete this user'}
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Delete user
        </button>
      )}
    </section>
  );
}
