import { badRequest } from "@switchyard/schemas";

/** A JSON body or a 400 that says why not. */
export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (!text.trim()) throw badRequest("Request body is empty: send a JSON object");
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("Request body is not valid JSON");
  }
}
