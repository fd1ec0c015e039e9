import { useEffect, useState, type FormEvent } from 'react'
import { Navigate, useNavigate, useSearchParams } from 'react-router'
import { formErrors } from '../api/problem'
import { useSession, useSignIn } from '../api/queries'
import { Field } from '../components/Field'
import { Alert } from '../components/States'
import { Logo } from '../layout/Logo'

/** Only paths inside the app may be returned to after signing in. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/'
}

/** SignInPage asks for an email and password and opens a session. */
export function SignInPage() {
  const [params] = useSearchParams()
  const next = safeNext(params.get('next'))
  const navigate = useNavigate()
  const session = useSession()
  const signIn = useSignIn()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const errors = formErrors(signIn.error, ['email', 'password'])

  useEffect(() => {
    document.title = 'Sign in · Attain'
  }, [])

  if (session.data && !signIn.isPending) {
    return <Navigate to={next} replace />
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    signIn.mutate({ email, password }, { onSuccess: () => navigate(next, { replace: true }) })
  }

  return (
    <div className="signin">
      <main className="signin-card">
        <div className="signin-brand">
          <Logo size={40} />
          <span>Attain</span>
        </div>
        <h1>Sign in</h1>
        <p className="signin-lead">Your pipeline, forecast and team, in one place.</p>
        <form onSubmit={submit} noValidate>
          {errors.form && <Alert>{errors.form}</Alert>}
          <Field label="Email" error={errors.fields.email}>
            {(p) => (
              <input
                {...p}
                name="email"
                type="email"
                autoComplete="username"
                autoFocus
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            )}
          </Field>
          <Field label="Password" error={errors.fields.password}>
            {(p) => (
              <input
                {...p}
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="button button-primary button-block" disabled={signIn.isPending}>
            {signIn.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="signin-foot">
          New here? The first start of <code>attain serve</code> prints the admin’s email and password. Forgot
          yours? An admin can set a new one with <code>attain users set-password</code>.
        </p>
      </main>
    </div>
  )
}
