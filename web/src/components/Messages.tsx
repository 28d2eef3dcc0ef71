import type { ReactNode } from 'react';

/** An error the user must read (role=alert is announced at once). */
export function Alert({ title, children }: { title?: string; children: ReactNode }) {
  return (
    <div className="alert" role="alert">
      {title && <p className="alert-title">{title}</p>}
      <div>{children}</div>
    </div>
  );
}

/** A success or progress message (announced politely). */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="notice" role="status">
      {children}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children && <div>{children}</div>}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

/** What a page shows instead of itself when the signed-in user lacks a permission (RBAC). */
export function AccessDenied({ permission, message }: { permission?: string; message?: string }) {
  return (
    <section className="panel denied" aria-labelledby="denied-title">
      <h2 id="denied-title">Access denied</h2>
      <p>{message ?? 'You do not have permission to see this page.'}</p>
      {permission && (
        <p>
          It needs the permission <code>{permission}</code>. Ask an administrator to give one of your roles this
          permission.
        </p>
      )}
    </section>
  );
}
