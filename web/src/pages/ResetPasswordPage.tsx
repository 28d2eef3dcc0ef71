import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, errorMessage, formatDate, passwordProblem, PASSWORD_MIN_LENGTH } from '../api';
import { Field, focusFirstInvalid } from '../components/Field';
import { Alert, Loading } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { Link } from '../router';
import { LinkProblem } from './LinkProblem';

/** Without a token: ask for a link. With one (the link in the reset message): choose a new password. */
export function ResetPasswordPage({ token }: { token?: string }) {
  return token ? <ChooseNewPassword token={token} /> : <RequestLink />;
}

function RequestLink() {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [sentTo, setSentTo] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = /^[^\s@]+@[^\s@]+$/.test(email.trim()) ? undefined : 'Enter the e-mail you sign in with.';
    setError(found);
    setProblem(undefined);
    if (found) return focusFirstInvalid(form.current);
    setBusy(true);
    try {
      // The API answers the same whether or not the e-mail has a login, and so does this page.
      await api('/auth/user/emailpass/reset-password', {
        method: 'POST',
        body: { identifier: email.trim() },
        anonymous: true,
      });
      setSentTo(email.trim());
    } catch (err) {
      setProblem(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (sentTo) {
    return (
      <div className="card">
        <PageTitle>Check your e-mail</PageTitle>
        <p role="status">
          If <strong>{sentTo}</strong> has a login, a message with a link to choose a new password is on its way. The
          link works once and expires in 15 minutes.
        </p>
        <p>
          <Link to="/login">Back to sign in</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="card">
      <PageTitle>Reset your password</PageTitle>
      <p>Enter the e-mail you sign in with, and we will send you a link to choose a new password.</p>
      {problem && <Alert title="No link was sent">{problem}</Alert>}
      <form ref={form} onSubmit={submit} noValidate>
        <Field
          label="E-mail"
          name="email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={error}
          required
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Send reset link'}
        </button>
      </form>
      <p className="aside">
        <Link to="/login">Back to sign in</Link>
      </p>
    </div>
  );
}

type Reason = 'invalid' | 'expired' | 'used';
type State =
  | { step: 'loading' }
  | { step: 'problem'; reason: Reason }
  | { step: 'unreachable'; message: string }
  | { step: 'form'; email: string; expires_at: string }
  | { step: 'done'; email: string };

async function preview(token: string): Promise<State> {
  try {
    const p = await api<{ email: string; expires_at: string }>('/auth/reset-password', {
      query: { token },
      anonymous: true,
    });
    return { step: 'form', ...p };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 400)) {
      return { step: 'problem', reason: err.reason === 'expired' || err.reason === 'used' ? err.reason : 'invalid' };
    }
    return { step: 'unreachable', message: errorMessage(err) };
  }
}

function ChooseNewPassword({ token }: { token: string }) {
  const [state, setState] = useState<State>({ step: 'loading' });
  const [values, setValues] = useState({ password: '', password_again: '' });
  const [errors, setErrors] = useState<{ password?: string; password_again?: string }>({});
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const check = () => preview(token).then(setState);
  useEffect(() => {
    void check();
  }, [token]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (state.step !== 'form') return;
    const found = {
      password: passwordProblem(values.password),
      password_again: values.password_again === values.password ? undefined : 'The two passwords are not the same.',
    };
    setErrors(found);
    setProblem(undefined);
    if (found.password || found.password_again) return focusFirstInvalid(form.current);
    setBusy(true);
    try {
      await api('/auth/user/emailpass/update', {
        method: 'POST',
        query: { token },
        body: { password: values.password },
        anonymous: true,
      });
      setState({ step: 'done', email: state.email });
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.status === 401 && err.message === 'Invalid token') return void (await check());
      if (err instanceof ApiError && /password/i.test(err.message)) {
        setErrors({ password: err.message });
        return focusFirstInvalid(form.current);
      }
      setProblem(errorMessage(err));
    }
  };

  if (state.step === 'loading')
    return (
      <div className="card">
        <Loading what="your reset link" />
      </div>
    );
  if (state.step === 'unreachable') {
    return (
      <div className="card">
        <PageTitle>Your link could not be checked</PageTitle>
        <Alert>{state.message}</Alert>
        <button type="button" onClick={() => void check()}>
          Try again
        </button>
      </div>
    );
  }
  if (state.step === 'problem') {
    const text = {
      invalid: [
        'This reset link is not valid',
        'The link may be incomplete: open it again from the message, or ask for a new link.',
      ],
      expired: ['This reset link has expired', 'Reset links work for 15 minutes. Ask for a new one.'],
      used: [
        'This reset link has already been used',
        'Each link works once, and the password has been changed since it was sent. Ask for a new link if you need one.',
      ],
    }[state.reason];
    return (
      <LinkProblem title={text[0]}>
        <p>{text[1]}</p>
        <p>
          <Link to="/reset-password" className="button-link">
            Ask for a new link
          </Link>
        </p>
        <p>
          <Link to="/login">Back to sign in</Link>
        </p>
      </LinkProblem>
    );
  }
  if (state.step === 'done') {
    return (
      <div className="card">
        <PageTitle>Your password has been changed</PageTitle>
        <p role="status">Sign in with your new password.</p>
        <p>
          <Link to={`/login?email=${encodeURIComponent(state.email)}`} className="button-link">
            Go to sign in
          </Link>
        </p>
      </div>
    );
  }
  return (
    <div className="card">
      <PageTitle>Choose a new password</PageTitle>
      <p className="lead">
        For <strong>{state.email}</strong>. This link works until <strong>{formatDate(state.expires_at)}</strong>.
      </p>
      {problem && <Alert title="The password was not changed">{problem}</Alert>}
      <form ref={form} onSubmit={submit} noValidate>
        <input type="email" name="username" autoComplete="username" value={state.email} readOnly hidden />
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
          value={values.password}
          onChange={(e) => setValues({ ...values, password: e.target.value })}
          error={errors.password}
          required
        />
        <Field
          label="New password again"
          name="password_again"
          type="password"
          autoComplete="new-password"
          value={values.password_again}
          onChange={(e) => setValues({ ...values, password_again: e.target.value })}
          error={errors.password_again}
          required
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save new password'}
        </button>
      </form>
    </div>
  );
}
