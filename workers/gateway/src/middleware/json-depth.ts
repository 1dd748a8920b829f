import { badRequest, clip } from "@switchyard/schemas";

/**
 * How deep a request body may nest (the body itself is level 1). Real requests stay far
 * below it: a message part is 5 levels deep, a tool's parameters start at 4, and OpenAI's
 * structured outputs allow a schema only 10 levels of nesting. Anything deeper is refused at
 * parse time on every endpoint, because code that walks a schema (the Gemini conversion, a
 * JSON.stringify) recurses once a level: a 2,400-deep tool schema overflowed the stack.
 */
export const MAX_JSON_DEPTH = 64;

/** A 400 naming the JSON path where the body nests deeper than MAX_JSON_DEPTH, or nothing. */
export function assertJsonDepth(value: unknown, max = MAX_JSON_DEPTH): void {
  const path = pathTooDeep(value, 1, max);
  if (!path) return;
  const where = clip(path.join("."));
  throw badRequest(`Invalid request: ${where}: nested deeper than ${max} levels (the limit for any JSON in a request)`, {
    issues: [{ path: where, message: `nested deeper than ${max} levels` }],
    max_depth: max,
  });
}

/** The path to the first object or array at level max + 1; recursion goes no deeper than that. */
function pathTooDeep(value: unknown, level: number, max: number): Array<string | number> | null {
  if (typeof value !== "object" || value === null) return null;
  if (level > max) return [];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const path = pathTooDeep(value[i], level + 1, max);
      if (path) return (path.unshift(i), path);
    }
    return null;
  }
  for (const key in value) {
    const path = pathTooDeep((value as Record<string, unknown>)[key], level + 1, max);
    if (path) return (path.unshift(key), path);
  }
  return null;
}
