import { useRef, useState, type FormEvent } from 'react';
import { api, ApiError, errorMessage, signIn } from '../api';
import { Field, focusFirstInvalid } from '../components/Field';
import { Alert, Notice } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { takeFlash } from '../flash';
import { Link, navigate } from '../router';

/** Only paths inside the app: `next` comes from the URL and must not send anyone elsewhere. */
const safeNext = (next?: string) => (next && next.startsWith('/') && !next.startsWith('//') ? next : '/');

export function LoginPage({ next, email: initialEmail }: { next?: string; email?: string }) {
  const [flash] = useState(takeFlash);
  const [email, setEmail] = useState(initialEmail ?? '');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = {
      email: email.trim() ? undefined : 'Enter your e-mail.',
      password: password ? undefined : 'Enter your password.',
    };
    setErrors(found);
    setProblem(undefined);
    if (found.email || found.password) return focusFirstInvalid(form.current);
    setBusy(true);
    try {
      await signIn(email.trim(), password);
      // A login that no invite has made a user yet cannot use the console.
      await api('/admin/users/me').catch(async (err) => {
        await api('/auth/session', { method: 'DELETE' }).catch(() => undefined);
        throw err instanceof ApiError && err.status === 401
          ? new Error('This login has no user yet: accept your invite first, with the link in the invite message.')
          : err;
      });
      navigate(safeNext(next), { replace: true });
    } catch (err) {
      setProblem(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <div className="card">
      <PageTitle>Sign in</PageTitle>
      {flash && <Notice>{flash}</Notice>}
      {problem && <Alert title="You are not signed in">{problem}</Alert>}
      <form ref={form} onSubmit={submit} noValidate>
        <Field
          label="E-mail"
          type="email"
          name="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email}
          required
        />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.password}
          required
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="aside">
        <Link to="/reset-password">Forgot your password?</Link>
      </p>
    </div>
  );
}
