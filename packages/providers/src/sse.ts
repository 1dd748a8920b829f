import type { SseEvent } from "./types.ts";

/** The most an unfinished event may hold (characters): a provider that never ends a line cannot grow the gateway's memory past it. */
export const MAX_SSE_EVENT_CHARS = 16 * 1024 * 1024;

/** A stream sent more than MAX_SSE_EVENT_CHARS without ending an event. */
export class SseEventTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`stream event larger than ${limit} characters`);
  }
}

/**
 * Incremental server-sent-events decoder: feed it text as it arrives, get whole
 * events back. Handles \n, \r\n and \r line ends, multi-line data and comments.
 * Throws SseEventTooLarge once an unfinished event passes `maxEventChars`.
 */
export class SseDecoder {
  /** The unfinished line, in the pieces it arrived in: joined once a line end comes, so a long line costs linear time. */
  private pending: string[] = [];
  private pendingChars = 0;
  private event: string | undefined;
  private data: string[] = [];
  private dataChars = 0;

  constructor(private readonly maxEventChars = MAX_SSE_EVENT_CHARS) {}

  push(text: string): SseEvent[] {
    const last = this.pending.at(-1);
    if (!/[\r\n]/.test(text) && !last?.endsWith("\r")) {
      // nothing ends here (and no \r waits for its \n): keep the piece
      this.pending.push(text);
      this.pendingChars += text.length;
      this.checkSize();
      return [];
    }
    const buffer = this.pending.length ? this.pending.join("") + text : text;
    const out: SseEvent[] = [];
    let start = 0;
    for (;;) {
      const nl = nextLineEnd(buffer, start);
      if (nl === -1) break;
      const line = buffer.slice(start, nl);
      start = nl + (buffer[nl] === "\r" && buffer[nl + 1] === "\n" ? 2 : 1);
      this.line(line, out);
    }
    const rest = buffer.slice(start);
    this.pending = rest ? [rest] : [];
    this.pendingChars = rest.length;
    this.checkSize();
    return out;
  }

  /** Any event left when the stream ends without a trailing blank line. */
  flush(): SseEvent[] {
    const out: SseEvent[] = [];
    const rest = this.pending.join("");
    if (rest) this.line(rest.endsWith("\r") ? rest.slice(0, -1) : rest, out);
    this.pending = [];
    this.pendingChars = 0;
    this.line("", out);
    return out;
  }

  private checkSize(): void {
    if (this.pendingChars + this.dataChars > this.maxEventChars) throw new SseEventTooLarge(this.maxEventChars);
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === "") {
      if (this.data.length) out.push({ ...(this.event ? { event: this.event } : {}), data: this.data.join("\n") });
      this.event = undefined;
      this.data = [];
      this.dataChars = 0;
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      this.data.push(value);
      this.dataChars += value.length;
    } else if (field === "event") this.event = value;
  }
}

function nextLineEnd(buffer: string, from: number): number {
  const n = buffer.indexOf("\n", from);
  const r = buffer.indexOf("\r", from);
  if (r === -1) return n;
  if (n === -1) return r === buffer.length - 1 ? -1 : r; // a lone trailing \r may be half of \r\n
  return Math.min(n, r);
}

export function encodeSse(data: string, event?: string): string {
  return `${event ? `event: ${event}\n` : ""}data: ${data}\n\n`;
}
