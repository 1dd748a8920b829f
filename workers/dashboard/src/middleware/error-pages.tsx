import { ErrorPage } from "@switchyard/dashboards";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Every error is a page a person can read, never a raw JSON or stack trace. */
export function errorPage(c: Context, status: ContentfulStatusCode, title: string, message: string): Response | Promise<Response> {
  return c.html(<ErrorPage status={status} title={title} message={message} />, status);
}

export const notFoundPage = (c: Context) =>
  errorPage(c, 404, "Page not found", "There is nothing at this address, or you do not have access to it.");

export const forbiddenPage = (c: Context) =>
  errorPage(c, 403, "Only owners and admins can do this", "You are a member of this workspace, which lets you see it but not change it. Ask an owner or admin.");

export function onErrorPage(err: unknown, c: Context): Response | Promise<Response> {
  if (err instanceof HTTPException) {
    if (err.status === 403) {
      return errorPage(c, 403, "Request refused", "This request did not come from a page of this site. Go back, reload the page and try again.");
    }
    return errorPage(c, err.status as ContentfulStatusCode, "Request refused", err.message || "The request could not be handled.");
  }
  // Name and message only: a request may carry passwords or keys.
  console.error("dashboard error", err instanceof Error ? `${err.name}: ${err.message}` : "non-error thrown");
  return errorPage(c, 500, "Something went wrong", "The page could not be shown. Try again in a moment.");
}
