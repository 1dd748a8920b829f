import { Alerts } from "../components/alerts.tsx";
import { CsrfField } from "../components/csrf.tsx";
import { Document } from "../components/document.tsx";

interface AuthFormProps {
  csrfToken: string;
  email?: string;
  error?: string;
  next?: string;
}

/** Sign-in and sign-up share one small centred card. */
const AuthCard = (props: AuthFormProps & { mode: "signin" | "signup" }) => {
  const signup = props.mode === "signup";
  return (
    <Document title={signup ? "Create account" : "Sign in"}>
      <div class="auth">
        <a class="brand" href="/">
          switch<span>yard</span>
        </a>
        <div class="card">
          <h1>{signup ? "Create your account" : "Sign in"}</h1>
          <Alerts error={props.error} />
          <form method="post" action={signup ? "/signup" : "/signin"} class="stack">
            <CsrfField token={props.csrfToken} />
            {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
            <label>
              Email
              <input type="email" name="email" autocomplete="email" required value={props.email ?? ""} />
            </label>
            <label>
              Password
              <input
                type="password"
                name="password"
                autocomplete={signup ? "new-password" : "current-password"}
                required
                minlength={signup ? 10 : undefined}
              />
              {signup ? <span class="hint">At least 10 characters.</span> : null}
            </label>
            <button type="submit">{signup ? "Create account" : "Sign in"}</button>
          </form>
        </div>
        <p class="muted small" style="text-align:center">
          {signup ? (
            <>
              Already have an account? <a href="/signin">Sign in</a>
            </>
          ) : (
            <>
              New here? <a href="/signup">Create an account</a>
            </>
          )}
        </p>
      </div>
    </Document>
  );
};

export const SignInPage = (props: AuthFormProps) => <AuthCard {...props} mode="signin" />;
export const SignUpPage = (props: AuthFormProps) => <AuthCard {...props} mode="signup" />;
