/** The per-session CSRF token, in every form that POSTs. */
export const CsrfField = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;
