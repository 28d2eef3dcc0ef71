import { useEffect, useState, type FormEvent } from 'react';
import { api, displayName, formatDate, type User } from '../api';
import { Field } from '../components/Field';
import { AccessDenied, Alert, EmptyState, Loading, Notice } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { Pager } from '../components/Pager';
import { can, useConsole } from '../console';
import { takeFlash } from '../flash';
import { Link, navigate } from '../router';
import { useList } from './useList';

export const USERS_PAGE_SIZE = 20;

/** Users: search by name or e-mail, page through, open one to edit or delete it. */
export function UsersPage({ query }: { query: URLSearchParams }) {
  const { access } = useConsole();
  const [flash] = useState(takeFlash);
  const q = query.get('q') ?? '';
  const offset = Number(query.get('offset') ?? 0) || 0;
  const [search, setSearch] = useState(q);
  useEffect(() => setSearch(q), [q]);
  const list = useList(
    () =>
      api<{ users: User[]; count: number; offset: number; limit: number }>('/admin/users', {
        query: { q, offset, limit: USERS_PAGE_SIZE, order: 'created_at' },
      }),
    [q, offset],
  );

  const go = (next: { q?: string; offset?: number }) => {
    const params = new URLSearchParams();
    const nq = next.q ?? q;
    if (nq) params.set('q', nq);
    if (next.offset) params.set('offset', String(next.offset));
    const qs = params.toString();
    navigate(`/users${qs ? `?${qs}` : ''}`);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ q: search.trim(), offset: 0 });
  };

  if (!can(access, 'user:read'))
    return (
      <>
        <PageTitle>Users</PageTitle>
        <AccessDenied permission="user:read" />
      </>
    );
  return (
    <>
      <PageTitle>Users</PageTitle>
      {flash && <Notice>{flash}</Notice>}
      <form className="toolbar" role="search" onSubmit={submit}>
        <Field
          label="Search users"
          type="search"
          name="q"
          hint="Name or e-mail"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <button type="submit">Search</button>
        {q && (
          <button type="button" className="secondary" onClick={() => go({ q: '', offset: 0 })}>
            Clear search
          </button>
        )}
      </form>
      {list.state === 'loading' && <Loading what="users" />}
      {list.state === 'error' &&
        (list.status === 403 ? (
          <AccessDenied permission="user:read" message={list.message} />
        ) : (
          <Alert title="The users could not be loaded">{list.message}</Alert>
        ))}
      {list.state === 'ready' &&
        (list.data.users.length === 0 ? (
          q ? (
            <EmptyState title={`No users match “${q}”.`}>Try another name or e-mail, or clear the search.</EmptyState>
          ) : (
            <EmptyState title="No users yet.">Invite someone from the Invites page.</EmptyState>
          )
        ) : (
          <>
            <table>
              <caption className="sr-only">Users{q ? ` matching “${q}”` : ''}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">E-mail</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {list.data.users.map((u) => (
                  <tr key={u.id}>
                    <td>
                      <Link to={`/users/${u.id}`}>{displayName(u)}</Link>
                    </td>
                    <td>{u.email}</td>
                    <td>{formatDate(u.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager
              label="Users"
              count={list.data.count}
              offset={offset}
              limit={USERS_PAGE_SIZE}
              shown={list.data.users.length}
              onPage={(o) => go({ offset: o })}
            />
          </>
        ))}
    </>
  );
}
