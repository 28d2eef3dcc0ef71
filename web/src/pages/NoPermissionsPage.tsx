import { PageTitle } from '../components/PageTitle';
import { useConsole } from '../console';

/** Signed in, but no role gives this user any permission yet (RBAC): nothing to show but who to ask. */
export function NoPermissionsPage() {
  const { me, access } = useConsole();
  return (
    <div className="card wide">
      <PageTitle>No permissions yet</PageTitle>
      {access.rbac && access.permissions.size === 0 ? (
        <>
          <p>
            You are signed in as <strong>{me.email}</strong>, but none of your roles gives you access to anything in the
            console yet.
          </p>
          <p>Ask an administrator to give you a role. Sign out and in again if a role has just been given to you.</p>
        </>
      ) : (
        <p>You have permissions: choose a page in the menu.</p>
      )}
    </div>
  );
}
