import { UntranslatableRequest } from "../shared/untranslatable.ts";

/**
 * JSON Schema (what OpenAI clients send for tool parameters and json_schema) →
 * the OpenAPI subset Gemini's `Schema` accepts. Gemini rejects keywords it does
 * not know (additionalProperties, $schema, …) and empty `properties`, and spells
 * a nullable type as `nullable: true` rather than a type list.
 */
const KEPT = new Set([
  "type", "title", "description", "nullable", "enum", "required", "minItems", "maxItems", "minLength", "maxLength",
  "pattern", "minimum", "maximum", "minProperties", "maxProperties", "propertyOrdering", "default", "example",
]);
const FORMATS = new Set(["enum", "date-time", "int32", "int64", "float", "double"]);

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * The deepest schema converted (one level per nested schema). The gateway refuses bodies nested
 * deeper than this at parse time already; the limit here keeps the recursion bounded for any caller,
 * as the caller's 400 rather than a stack overflow.
 */
export const MAX_SCHEMA_DEPTH = 64;

export function toGeminiSchema(schema: unknown, depth = 1): Schema | undefined {
  if (!isSchema(schema)) return undefined;
  if (depth > MAX_SCHEMA_DEPTH) throw new UntranslatableRequest(`A JSON schema (tool parameters or response_format) nests deeper than ${MAX_SCHEMA_DEPTH} levels`);
  const nested = (sub: unknown) => toGeminiSchema(sub, depth + 1);
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "type" && Array.isArray(value)) {
      const types = value.filter((t) => t !== "null");
      if (types.length < value.length) out.nullable = true;
      if (types[0] !== undefined) out.type = types[0];
    } else if (key === "const") {
      out.enum = [value];
    } else if (key === "format") {
      if (typeof value === "string" && FORMATS.has(value)) out.format = value;
    } else if (key === "properties" && isSchema(value)) {
      const props = Object.entries(value).map(([name, sub]) => [name, nested(sub) ?? {}] as const);
      if (props.length) out.properties = Object.fromEntries(props);
    } else if (key === "items") {
      const items = nested(value);
      if (items) out.items = items;
    } else if ((key === "anyOf" || key === "oneOf") && Array.isArray(value)) {
      const branches = value.filter((b) => !(isSchema(b) && b.type === "null"));
      if (branches.length < value.length) out.nullable = true;
      const mapped = branches.map(nested).filter((b): b is Schema => !!b);
      if (mapped.length === 1) Object.assign(out, mapped[0]);
      else if (mapped.length) out.anyOf = mapped;
    } else if (KEPT.has(key)) {
      out[key] = value;
    }
  }
  if (Array.isArray(out.required) && !out.properties) delete out.required;
  return out;
}

/** Tool parameters: Gemini wants them left out, not given as an object without properties. */
export function toGeminiParameters(schema: unknown): Schema | undefined {
  const converted = toGeminiSchema(schema);
  if (!converted || (converted.type === "object" && !converted.properties)) return undefined;
  return converted;
}
