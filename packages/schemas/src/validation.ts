import type { z } from "zod";
import { badRequest, type GatewayError } from "./errors.ts";

/** Turns a zod failure into one 400 a developer can act on: the first issue, with its path. */
export function validationError(error: z.ZodError): GatewayError {
  const issues = error.issues.slice(0, 5).map((i) => ({
    path: i.path.map(String).join("."),
    message: i.message,
  }));
  const first = issues[0];
  const where = first?.path ? `${first.path}: ` : "";
  return badRequest(`Invalid request: ${where}${first?.message ?? "malformed body"}`, { issues });
}

/** Parses with a schema, throwing the gateway's 400 on failure. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error);
  return result.data;
}
