import { useRef, useState, type FormEvent } from 'react';
import { api, errorMessage, formatDate } from '../api';
import { Field, focusFirstInvalid } from '../components/Field';
import { AccessDenied, Alert, EmptyState, Loading, Notice } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { can, useConsole } from '../console';
import { useList } from './useList';

interface Role {
  id: string;
  name: string;
  description: string | null;
  created_at: string;
}

/** Roles (RBAC, `/admin/rbac/roles`): list, create, delete. Shown only when the server has RBAC. */
export function RolesPage() {
  const { access } = useConsole();
  const list = useList(
    () => api<{ roles: Role[]; count: number }>('/admin/rbac/roles', { query: { limit: 100, order: 'name' } }),
    [],
  );
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const form = useRef<HTMLFormElement>(null);

  if (!can(access, 'rbac_role:read'))
    return (
      <>
        <PageTitle>Roles</PageTitle>
        <AccessDenied permission="rbac_role:read" />
      </>
    );

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(name.trim() ? undefined : 'Enter a name for the role.');
    setResult(undefined);
    if (!name.trim()) return focusFirstInvalid(form.current);
    try {
      await api('/admin/rbac/roles', {
        method: 'POST',
        body: { name: name.trim(), description: description.trim() || undefined },
      });
      setResult({ ok: true, text: `Role ${name.trim()} created.` });
      setName('');
      setDescription('');
      await list.reload();
    } catch (err) {
      setResult({ ok: false, text: `The role was not created: ${errorMessage(err)}` });
    }
  };
  const remove = async (role: Role) => {
    setResult(undefined);
    try {
      await api(`/admin/rbac/roles/${encodeURIComponent(role.id)}`, { method: 'DELETE' });
      setResult({ ok: true, text: `Role ${role.name} deleted.` });
      await list.reload();
    } catch (err) {
      setResult({ ok: false, text: `The role was not deleted: ${errorMessage(err)}` });
    }
  };

  return (
    <>
      <PageTitle>Roles</PageTitle>
      {result && (result.ok ? <Notice>{result.text}</Notice> : <Alert>{result.text}</Alert>)}
      {can(access, 'rbac_role:create') && (
        <section className="panel" aria-labelledby="new-role">
          <h2 id="new-role">New role</h2>
          <form ref={form} onSubmit={create} noValidate>
            <div className="field-row">
              <Field
                label="Name"
                name="name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                error={error}
                required
              />
              <Field
                label="Description"
                name="description"
                value={description}
                onChange={(e) => setDescription(e.target.value)}
              />
            </div>
            <button type="submit">Create role</button>
          </form>
        </section>
      )}
      {list.state === 'loading' && <Loading what="roles" />}
      {list.state === 'error' &&
        (list.status === 403 ? (
          <AccessDenied permission="rbac_role:read" message={list.message} />
        ) : (
          <Alert title="The roles could not be loaded">{list.message}</Alert>
        ))}
      {list.state === 'ready' &&
        (list.data.roles.length === 0 ? (
          <EmptyState title="No roles yet." />
        ) : (
          <table>
            <caption className="sr-only">Roles</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Description</th>
                <th scope="col">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.roles.map((r) => (
                <tr key={r.id}>
                  <td>{r.name}</td>
                  <td>{r.description ?? '—'}</td>
                  <td>{formatDate(r.created_at)}</td>
                  <td>
                    {can(access, 'rbac_role:delete') && (
                      <button type="button" className="danger small" onClick={() => void remove(r)}>
                        Delete<span className="sr-only"> role {r.name}</span>
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
