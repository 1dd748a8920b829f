/** Errors and notices rendered in place, above the content they concern. */
export const Alerts = ({ error, notice }: { error?: string | undefined; notice?: string | undefined }) => (
  <>
    {error ? (
      <div class="alert error" role="alert">
        {error}
      </div>
    ) : null}
    {notice ? (
      <div class="alert ok" role="status">
        {notice}
      </div>
    ) : null}
  </>
);

/** Shown to members on pages whose forms only owners and admins may use. */
export const ReadOnlyNotice = () => (
  <div class="alert info" role="note">
    You are a member of this workspace: you can see everything here, but only owners and admins can change it.
  </div>
);
