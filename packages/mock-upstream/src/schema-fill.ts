/**
 * Builds a value that satisfies a JSON schema in the simplest deterministic way:
 * strings "mock", numbers 42, booleans true, enums their first value. Used for
 * tool-call arguments and json_schema answers, so a client's own validation of
 * the mock's output passes.
 */

type Schema = Record<string, unknown>;

const MAX_DEPTH = 8; // guards against self-referencing schemas

export function sampleFromSchema(schema: unknown, depth = 0): unknown {
  if (!schema || typeof schema !== "object" || depth > MAX_DEPTH) return "mock";
  const s = schema as Schema;
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const branches = s[key];
    if (Array.isArray(branches) && branches.length > 0) {
      const branch = branches.find((b) => !(b && typeof b === "object" && (b as Schema).type === "null")) ?? branches[0];
      return sampleFromSchema(branch, depth + 1);
    }
  }
  switch (schemaType(s)) {
    case "string":
      return "mock";
    case "number":
    case "integer":
      return 42;
    case "boolean":
      return true;
    case "null":
      return null;
    case "array":
      return [sampleFromSchema(s.items, depth + 1)];
    case "object":
      return sampleObject(s, depth);
    default:
      return "mock";
  }
}

/** An object with every listed property (so required ones are always present). */
export function sampleObject(schema: unknown, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!schema || typeof schema !== "object") return out;
  const s = schema as Schema;
  const props = s.properties && typeof s.properties === "object" ? (s.properties as Schema) : {};
  for (const [name, sub] of Object.entries(props)) out[name] = sampleFromSchema(sub, depth + 1);
  if (Array.isArray(s.required)) {
    for (const name of s.required) if (typeof name === "string" && !(name in out)) out[name] = "mock";
  }
  return out;
}

function schemaType(s: Schema): string | undefined {
  const t = s.type;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) return t.find((x) => x !== "null") ?? t[0];
  if (s.properties) return "object";
  if (s.items) return "array";
  return undefined;
}
