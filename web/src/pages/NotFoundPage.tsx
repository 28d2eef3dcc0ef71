import { PageTitle } from '../components/PageTitle';
import { Link } from '../router';

export function NotFoundPage() {
  return (
    <>
      <PageTitle>Page not found</PageTitle>
      <p>There is no page at this address in the console.</p>
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </>
  );
}
