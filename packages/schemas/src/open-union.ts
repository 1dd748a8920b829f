import { z } from "zod";

/**
 * A tagged union that lets unknown tags through: an object whose `type` is known must
 * match that type's schema (its issues keep their paths, so the 400 names the field);
 * any other type passes untouched, for the translation to drop and name. Real clients
 * send block, item and tool types newer than the reference, and must not fail for it.
 */
export function openUnion<T extends Record<string, z.ZodType>>(known: T, tag = "type") {
  return z.looseObject({ [tag]: z.string() }).transform((value, ctx): z.infer<T[keyof T]> | UnknownVariant => {
    const schema = known[value[tag] as string];
    if (!schema) return { ...value, known: false } as UnknownVariant;
    const result = schema.safeParse(value);
    if (result.success) return result.data as z.infer<T[keyof T]>;
    for (const issue of result.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    return z.NEVER;
  });
}

/** A variant of an open union whose tag the gateway does not know. */
export interface UnknownVariant {
  known: false;
  type: string;
  [field: string]: unknown;
}

export const isUnknownVariant = (v: object): v is UnknownVariant => (v as { known?: unknown }).known === false;

/**
 * A string or a list of `item`s. Unlike z.union, a malformed item's issue keeps its own
 * path and message ("messages.0.content.1.text: expected string"), not "Invalid input".
 */
export function stringOrList<T extends z.ZodType>(item: T) {
  const list = z.array(item);
  return z.unknown().transform((value, ctx): string | z.infer<T>[] => {
    if (typeof value === "string") return value;
    const result = list.safeParse(value);
    if (result.success) return result.data;
    const issues = Array.isArray(value) ? result.error.issues : [{ message: "expected a string or a list", path: [] }];
    for (const issue of issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    return z.NEVER;
  });
}
