import { Document } from "../components/document.tsx";

/** A full-page error for when there is no page to show the error in (unknown workspace, no permission, crash). */
export const ErrorPage = ({ status, title, message }: { status: number; title: string; message: string }) => (
  <Document title={title}>
    <div class="auth">
      <a class="brand" href="/">
        switch<span>yard</span>
      </a>
      <div class="card">
        <p class="muted small">Error {status}</p>
        <h1>{title}</h1>
        <p>{message}</p>
        <p>
          <a href="/">← Back to your dashboard</a>
        </p>
      </div>
    </div>
  </Document>
);
