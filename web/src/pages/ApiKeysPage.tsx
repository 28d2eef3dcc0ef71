import { useRef, useState, type FormEvent } from 'react';
import { api, errorMessage, formatDate } from '../api';
import { Field, focusFirstInvalid } from '../components/Field';
import { AccessDenied, Alert, EmptyState, Loading, Notice } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { can, useConsole } from '../console';
import { useList } from './useList';

interface ApiKey {
  id: string;
  title: string;
  redacted: string;
  token: string;
  created_at: string;
  revoked_at: string | null;
}

/** Secret API keys (`/admin/api-keys`): list, create (the secret is shown once), revoke. Shown only with RBAC. */
export function ApiKeysPage() {
  const { access } = useConsole();
  const list = useList(
    () => api<{ api_keys: ApiKey[]; count: number }>('/admin/api-keys', { query: { limit: 100 } }),
    [],
  );
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string>();
  const [secret, setSecret] = useState<{ title: string; token: string }>();
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const form = useRef<HTMLFormElement>(null);

  if (!can(access, 'api_key:read'))
    return (
      <>
        <PageTitle>API keys</PageTitle>
        <AccessDenied permission="api_key:read" />
      </>
    );

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(title.trim() ? undefined : 'Enter a title for the key.');
    setResult(undefined);
    setSecret(undefined);
    if (!title.trim()) return focusFirstInvalid(form.current);
    try {
      const { api_key } = await api<{ api_key: ApiKey }>('/admin/api-keys', {
        method: 'POST',
        body: { title: title.trim(), type: 'secret' },
      });
      setSecret({ title: api_key.title, token: api_key.token });
      setTitle('');
      await list.reload();
    } catch (err) {
      setResult({ ok: false, text: `The key was not created: ${errorMessage(err)}` });
    }
  };
  const revoke = async (key: ApiKey) => {
    setResult(undefined);
    try {
      await api(`/admin/api-keys/${encodeURIComponent(key.id)}/revoke`, { method: 'POST', body: {} });
      setResult({ ok: true, text: `Key ${key.title} revoked.` });
      await list.reload();
    } catch (err) {
      setResult({ ok: false, text: `The key was not revoked: ${errorMessage(err)}` });
    }
  };

  return (
    <>
      <PageTitle>API keys</PageTitle>
      {result && (result.ok ? <Notice>{result.text}</Notice> : <Alert>{result.text}</Alert>)}
      {secret && (
        <Notice>
          Key {secret.title} created. Copy its secret now, it is not shown again:{' '}
          <code className="secret">{secret.token}</code>
        </Notice>
      )}
      {can(access, 'api_key:create') && (
        <section className="panel" aria-labelledby="new-key">
          <h2 id="new-key">New secret key</h2>
          <form ref={form} onSubmit={create} noValidate>
            <Field
              label="Title"
              name="title"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              error={error}
              required
            />
            <button type="submit">Create key</button>
          </form>
        </section>
      )}
      {list.state === 'loading' && <Loading what="API keys" />}
      {list.state === 'error' &&
        (list.status === 403 ? (
          <AccessDenied permission="api_key:read" message={list.message} />
        ) : (
          <Alert title="The API keys could not be loaded">{list.message}</Alert>
        ))}
      {list.state === 'ready' &&
        (list.data.api_keys.length === 0 ? (
          <EmptyState title="No API keys yet." />
        ) : (
          <table>
            <caption className="sr-only">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Key</th>
                <th scope="col">Created</th>
                <th scope="col">Revoked</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.api_keys.map((k) => (
                <tr key={k.id}>
                  <td>{k.title}</td>
                  <td>
                    <code>{k.redacted}</code>
                  </td>
                  <td>{formatDate(k.created_at)}</td>
                  <td>{formatDate(k.revoked_at)}</td>
                  <td>
                    {!k.revoked_at && can(access, 'api_key:update') && (
                      <button type="button" className="danger small" onClick={() => void revoke(k)}>
                        Revoke<span className="sr-only"> key {k.title}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </>
  );
}
