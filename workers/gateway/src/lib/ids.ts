/** Random ids: url-safe, 128 bits of entropy. */
export function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return `${prefix}${hex}`;
}

export const newGenerationId = () => randomId("gen-");
