import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, displayName, errorMessage, setUnauthorizedHandler, type AppConfig, type User } from './api';
import { Alert, Loading } from './components/Messages';
import { ConsoleContext, can, type Access, type ConsoleState } from './console';
import { setFlash } from './flash';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { InvitePage } from './pages/InvitePage';
import { InvitesPage } from './pages/InvitesPage';
import { LoginPage } from './pages/LoginPage';
import { NoPermissionsPage } from './pages/NoPermissionsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';
import { RolesPage } from './pages/RolesPage';
import { UserPage } from './pages/UserPage';
import { UsersPage } from './pages/UsersPage';
import { Link, navigate, useLocation, type Location } from './router';

export function App() {
  const loc = useLocation();
  const token = loc.query.get('token') ?? undefined;
  // Pages a mailed link opens, and the login page: no session needed.
  if (loc.path === '/invite')
    return (
      <PublicLayout>
        <InvitePage key={token} token={token} />
      </PublicLayout>
    );
  if (loc.path === '/reset-password')
    return (
      <PublicLayout>
        <ResetPasswordPage key={token ?? ''} token={token} />
      </PublicLayout>
    );
  if (loc.path === '/login')
    return (
      <PublicLayout>
        <LoginPage next={loc.query.get('next') ?? undefined} email={loc.query.get('email') ?? undefined} />
      </PublicLayout>
    );
  return <Console loc={loc} />;
}

function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <div className="public">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="public-header">
        <span className="brand">usermod</span>
      </header>
      <main id="main" className="public-main">
        {children}
      </main>
    </div>
  );
}

const loginPath = () => {
  const here = window.location.pathname.replace(/^\/app/, '') + window.location.search;
  return `/login?next=${encodeURIComponent(here || '/')}`;
};

async function loadAccess(): Promise<Access> {
  try {
    const { permissions } = await api<{ permissions: string[] }>('/admin/rbac/me/permissions');
    return { rbac: true, permissions: new Set(permissions) };
  } catch (err) {
    // No RBAC on this server yet: every signed-in user is an administrator.
    if (err instanceof ApiError && err.status === 404) return { rbac: false, permissions: new Set() };
    throw err;
  }
}

type Loaded =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; me: User; access: Access; config: AppConfig };

/** Everything behind the login: reads who is signed in and what they may do, then shows the page asked for. */
function Console({ loc }: { loc: Location }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });

  const load = useCallback(async () => {
    try {
      const [{ user }, access, config] = await Promise.all([
        api<{ user: User }>('/admin/users/me'),
        loadAccess(),
        api<AppConfig>('/app/config.json'),
      ]);
      setLoaded({ state: 'ready', me: user, access, config });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return; // the unauthorized handler is taking us to the login page
      setLoaded({ state: 'error', message: errorMessage(err) });
    }
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      // The console's first requests run together: only the first 401 leads to the login page (a second
      // would make the login page itself the place to come back to).
      if (window.location.pathname.replace(/^\/app/, '') === '/login') return;
      setFlash('Your session has ended. Sign in again.');
      navigate(loginPath(), { replace: true });
    });
    void load();
    return () => setUnauthorizedHandler(undefined);
  }, [load]);

  if (loaded.state === 'loading')
    return (
      <main id="main" className="console-loading">
        <Loading what="the console" />
      </main>
    );
  if (loaded.state === 'error') {
    return (
      <main id="main" className="console-loading">
        <Alert title="The console could not start">{loaded.message}</Alert>
        <button type="button" onClick={() => void load()}>
          Try again
        </button>
      </main>
    );
  }
  const state: ConsoleState = {
    me: loaded.me,
    access: loaded.access,
    config: loaded.config,
    refreshMe: async () => {
      const { user } = await api<{ user: User }>('/admin/users/me');
      setLoaded({ ...loaded, me: user });
    },
  };
  return (
    <ConsoleContext.Provider value={state}>
      <ConsoleLayout loc={loc} state={state}>
        <ConsolePage loc={loc} state={state} />
      </ConsoleLayout>
    </ConsoleContext.Provider>
  );
}

interface NavItem {
  to: string;
  label: string;
  permission: string;
  rbacOnly?: boolean;
}
const NAV: NavItem[] = [
  { to: '/users', label: 'Users', permission: 'user:read' },
  { to: '/invites', label: 'Invites', permission: 'invite:read' },
  { to: '/roles', label: 'Roles', permission: 'rbac_role:read', rbacOnly: true },
  { to: '/api-keys', label: 'API keys', permission: 'api_key:read', rbacOnly: true },
];

const visibleNav = (access: Access) => NAV.filter((n) => (!n.rbacOnly || access.rbac) && can(access, n.permission));

function ConsoleLayout({ loc, state, children }: { loc: Location; state: ConsoleState; children: ReactNode }) {
  const [signingOut, setSigningOut] = useState(false);
  const signOut = async () => {
    setSigningOut(true);
    // The cookie is httpOnly: only the server can end the session.
    await api('/auth/session', { method: 'DELETE' }).catch(() => undefined);
    setFlash('You are signed out.');
    navigate('/login', { replace: true });
  };
  return (
    <div className="console">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          usermod
        </Link>
        <nav aria-label="Main">
          <ul>
            {visibleNav(state.access).map((n) => (
              <li key={n.to}>
                <Link
                  to={n.to}
                  aria-current={loc.path === n.to || loc.path.startsWith(`${n.to}/`) ? 'page' : undefined}
                >
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <span>
            Signed in as <Link to={`/users/${state.me.id}`}>{displayName(state.me)}</Link>
          </span>
          <button type="button" className="secondary" onClick={() => void signOut()} disabled={signingOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="console-main">
        {children}
      </main>
    </div>
  );
}

function ConsolePage({ loc, state }: { loc: Location; state: ConsoleState }) {
  const { access } = state;
  const noPermissions = access.rbac && access.permissions.size === 0;
  const home = noPermissions ? '/no-permissions' : (visibleNav(access)[0]?.to ?? '/no-permissions');
  useEffect(() => {
    if (loc.path === '/' || (noPermissions && loc.path !== '/no-permissions')) navigate(home, { replace: true });
  }, [loc.path, home, noPermissions]);

  if (loc.path === '/' || (noPermissions && loc.path !== '/no-permissions')) return null;
  if (loc.path === '/no-permissions') return <NoPermissionsPage />;
  if (loc.path === '/users') return <UsersPage query={loc.query} />;
  const user = /^\/users\/([^/]+)$/.exec(loc.path);
  if (user) return <UserPage key={user[1]} id={decodeURIComponent(user[1])} />;
  if (loc.path === '/invites') return <InvitesPage query={loc.query} />;
  if (loc.path === '/roles' && access.rbac) return <RolesPage />;
  if (loc.path === '/api-keys' && access.rbac) return <ApiKeysPage />;
  return <NotFoundPage />;
}
