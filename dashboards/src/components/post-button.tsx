import { CsrfField } from "./csrf.tsx";

interface Props {
  action: string;
  csrfToken: string;
  label: string;
  variant?: "primary" | "secondary" | "danger" | "link";
  /** Extra hidden fields. */
  fields?: Record<string, string>;
}

/** A one-button form: every state change is a POST carrying the CSRF token. */
export const PostButton = ({ action, csrfToken, label, variant = "primary", fields = {} }: Props) => (
  <form method="post" action={action} class="inline">
    <CsrfField token={csrfToken} />
    {Object.entries(fields).map(([name, value]) => (
      <input type="hidden" name={name} value={value} />
    ))}
    <button type="submit" class={variant === "primary" ? undefined : variant}>
      {label}
    </button>
  </form>
);
