import type { ReactNode } from 'react';
import { PageTitle } from '../components/PageTitle';

/** The page a mailed link opens when the link cannot be used: what happened and what to do, nothing asked. */
export function LinkProblem({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="card link-problem">
      <PageTitle>{title}</PageTitle>
      {children}
    </div>
  );
}
