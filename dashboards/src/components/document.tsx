import { raw } from "hono/html";
import type { Child } from "hono/jsx";

/** The HTML document around every page. */
export const Document = ({ title, children }: { title: string; children: Child }) => (
  <>
    {raw("<!DOCTYPE html>")}
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · switchyard`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/app.js" defer></script>
      </head>
      <body>{children}</body>
    </html>
  </>
);
