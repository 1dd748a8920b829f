import type { Context } from "hono";
import { errorParts } from "../../middleware/errors.ts";

function openaiErrorType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 402) return "insufficient_quota";
  if (status === 403) return "permission_error";
  if (status === 429) return "rate_limit_exceeded";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

/** The Responses front door's error handler: the gateway's status, OpenAI's error shape, the field at fault as `param`. */
export function openaiErrorResponse(err: unknown, c: Context): Response {
  const { status, body, headers } = errorParts(err);
  const metadata = body.error.metadata as { param?: unknown; issues?: Array<{ path?: string }> } | undefined;
  const param = typeof metadata?.param === "string" ? metadata.param : (metadata?.issues?.[0]?.path ?? null);
  return c.json({ error: { message: body.error.message, type: openaiErrorType(status), param: param || null, code: null } }, status as 400, headers);
}
