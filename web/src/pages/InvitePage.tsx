import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, errorMessage, formatDate, passwordProblem, PASSWORD_MIN_LENGTH, signIn } from '../api';
import { Field, focusFirstInvalid } from '../components/Field';
import { Alert, Loading, Notice } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { setFlash } from '../flash';
import { Link, navigate } from '../router';
import { LinkProblem } from './LinkProblem';

interface Preview {
  email: string;
  expires_at: string;
  /** The invitee already registered a login (Medusa's two-step flow): accept with its password. */
  has_login: boolean;
}
type Reason = 'invalid' | 'expired' | 'revoked' | 'superseded' | 'accepted';
type State =
  | { step: 'loading' }
  | { step: 'problem'; reason: Reason }
  | { step: 'unreachable'; message: string }
  | { step: 'form'; invite: Preview };

const REASONS: Reason[] = ['invalid', 'expired', 'revoked', 'superseded', 'accepted'];

async function preview(token: string | undefined): Promise<State> {
  if (!token) return { step: 'problem', reason: 'invalid' };
  try {
    return { step: 'form', invite: await api<Preview>('/auth/invite', { query: { token }, anonymous: true }) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401)
      return { step: 'problem', reason: REASONS.includes(err.reason as Reason) ? (err.reason as Reason) : 'invalid' };
    if (err instanceof ApiError && err.status === 400) return { step: 'problem', reason: 'invalid' };
    return { step: 'unreachable', message: errorMessage(err) };
  }
}

/** The invitee's page (the link in the invite message): who the invite is for, then name and password. */
export function InvitePage({ token }: { token?: string }) {
  const [state, setState] = useState<State>({ step: 'loading' });
  const check = () => preview(token).then(setState);
  useEffect(() => {
    void check();
  }, [token]);

  if (state.step === 'loading')
    return (
      <div className="card">
        <Loading what="your invite" />
      </div>
    );
  if (state.step === 'unreachable') {
    return (
      <div className="card">
        <PageTitle>Your invite could not be checked</PageTitle>
        <Alert>{state.message}</Alert>
        <button type="button" onClick={() => void check()}>
          Try again
        </button>
      </div>
    );
  }
  if (state.step === 'problem') return <InviteProblem reason={state.reason} />;
  return (
    <AcceptForm
      token={token!}
      invite={state.invite}
      onTokenProblem={(s) => setState(s)}
      recheck={() => preview(token)}
    />
  );
}

function InviteProblem({ reason }: { reason: Reason }) {
  switch (reason) {
    case 'expired':
      return (
        <LinkProblem title="This invite has expired">
          <p>Invites can only be used for a limited time. Ask the person who invited you to send the invite again.</p>
        </LinkProblem>
      );
    case 'revoked':
      return (
        <LinkProblem title="This invite has been revoked">
          <p>
            It can no longer be used. If you think this is a mistake, ask the person who invited you for a new invite.
          </p>
        </LinkProblem>
      );
    case 'superseded':
      return (
        <LinkProblem title="This invite link has been replaced">
          <p>
            A newer invite was sent to you, and only its link works now. Open the most recent invite message and use its
            link.
          </p>
        </LinkProblem>
      );
    case 'accepted':
      return (
        <LinkProblem title="This invite has already been accepted">
          <p>The account it was for exists. Sign in with its e-mail and password.</p>
          <p>
            <Link to="/login" className="button-link">
              Go to sign in
            </Link>
          </p>
        </LinkProblem>
      );
    default:
      return (
        <LinkProblem title="This invite link is not valid">
          <p>
            The link may be incomplete. Open it again from the invite message, or copy the whole address into the
            browser.
          </p>
          <p>If it still does not work, ask the person who invited you for a new invite.</p>
        </LinkProblem>
      );
  }
}

interface Errors {
  first_name?: string;
  last_name?: string;
  password?: string;
  password_again?: string;
}

const TOKEN_MESSAGES = /expired|revoked|newer one was sent|already been accepted|Invalid invite token/i;

function AcceptForm({
  token,
  invite,
  onTokenProblem,
  recheck,
}: {
  token: string;
  invite: Preview;
  onTokenProblem: (s: State) => void;
  recheck: () => Promise<State>;
}) {
  const [hasLogin, setHasLogin] = useState(invite.has_login);
  const [values, setValues] = useState({ first_name: '', last_name: '', password: '', password_again: '' });
  const [errors, setErrors] = useState<Errors>({});
  const [problem, setProblem] = useState<string>();
  const [info, setInfo] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const set = (k: keyof typeof values) => (e: { target: { value: string } }) =>
    setValues({ ...values, [k]: e.target.value });

  const validate = (): Errors => ({
    first_name: values.first_name.trim() ? undefined : 'Enter your first name.',
    last_name: values.last_name.trim() ? undefined : 'Enter your last name.',
    password: hasLogin
      ? values.password
        ? undefined
        : 'Enter the password of your login.'
      : passwordProblem(values.password),
    password_again:
      hasLogin || values.password_again === values.password ? undefined : 'The two passwords are not the same.',
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validate();
    setErrors(found);
    setProblem(undefined);
    if (Object.values(found).some(Boolean)) return focusFirstInvalid(form.current);
    setBusy(true);
    const user = { first_name: values.first_name.trim(), last_name: values.last_name.trim() };
    try {
      if (hasLogin) {
        // Medusa's two steps: the registered login's bearer accepts; a refreshed bearer then names the new user.
        const { token: registered } = await api<{ token: string }>('/auth/user/emailpass', {
          method: 'POST',
          body: { email: invite.email, password: values.password },
          anonymous: true,
        }).catch((err) => {
          if (err instanceof ApiError && err.status === 401)
            setErrors({ password: 'This is not the password of your login.' });
          throw err;
        });
        await api('/admin/invites/accept', {
          method: 'POST',
          query: { token },
          body: user,
          token: registered,
          anonymous: true,
        });
        const { token: linked } = await api<{ token: string }>('/auth/token/refresh', {
          method: 'POST',
          token: registered,
          anonymous: true,
        });
        await api('/auth/session', { method: 'POST', token: linked });
      } else {
        await api('/admin/invites/accept', {
          method: 'POST',
          query: { token },
          body: { ...user, password: values.password },
          anonymous: true,
        });
        await signIn(invite.email, values.password);
      }
      setFlash(`Welcome, ${user.first_name}! Your invite is accepted and you are signed in.`);
      navigate('/', { replace: true });
    } catch (err) {
      setBusy(false);
      const message = errorMessage(err);
      if (err instanceof ApiError && err.status === 401 && TOKEN_MESSAGES.test(message))
        return onTokenProblem(await recheck());
      if (err instanceof ApiError && /Identity with email already exists/i.test(message)) {
        // Registered meanwhile (or elsewhere): the same page continues with that login's password.
        setHasLogin(true);
        setValues({ ...values, password: '', password_again: '' });
        setInfo('You already have a login for this e-mail. Enter its password to accept the invite.');
        return;
      }
      if (err instanceof ApiError && /password/i.test(message) && !hasLogin) {
        setErrors({ password: message });
        return focusFirstInvalid(form.current);
      }
      if (!(err instanceof ApiError && err.status === 401 && hasLogin)) setProblem(message);
      focusFirstInvalid(form.current);
    }
  };

  return (
    <div className="card">
      <PageTitle>Accept your invite</PageTitle>
      <p className="lead">
        You have been invited to the usermod console as <strong>{invite.email}</strong>. The invite is valid until{' '}
        <strong>{formatDate(invite.expires_at)}</strong>.
      </p>
      {info && <Notice>{info}</Notice>}
      {hasLogin && !info && <p>You already have a login for this e-mail: enter its password to accept the invite.</p>}
      {problem && <Alert title="The invite was not accepted">{problem}</Alert>}
      <form ref={form} onSubmit={submit} noValidate>
        <Field label="E-mail" name="email" type="email" value={invite.email} readOnly autoComplete="username" />
        <div className="field-row">
          <Field
            label="First name"
            name="first_name"
            autoComplete="given-name"
            value={values.first_name}
            onChange={set('first_name')}
            error={errors.first_name}
            required
          />
          <Field
            label="Last name"
            name="last_name"
            autoComplete="family-name"
            value={values.last_name}
            onChange={set('last_name')}
            error={errors.last_name}
            required
          />
        </div>
        {hasLogin ? (
          <Field
            label="Password of your login"
            name="password"
            type="password"
            autoComplete="current-password"
            value={values.password}
            onChange={set('password')}
            error={errors.password}
            required
          />
        ) : (
          <>
            <Field
              label="Password"
              name="password"
              type="password"
              autoComplete="new-password"
              hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong password.`}
              value={values.password}
              onChange={set('password')}
              error={errors.password}
              required
            />
            <Field
              label="Password again"
              name="password_again"
              type="password"
              autoComplete="new-password"
              value={values.password_again}
              onChange={set('password_again')}
              error={errors.password_again}
              required
            />
          </>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Accepting…' : 'Accept invite and sign in'}
        </button>
      </form>
    </div>
  );
}
