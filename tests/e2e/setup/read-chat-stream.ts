import type OpenAI from "openai";

/** A streamed chat answer as the openai client gives it: the text of every content delta, and the usage chunk. */
export async function readChatStream(stream: AsyncIterable<OpenAI.ChatCompletionChunk>): Promise<{ text: string; usage: any }> {
  let text = "";
  let usage: any;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? "";
    if (chunk.usage) usage = chunk.usage;
  }
  return { text, usage };
}
