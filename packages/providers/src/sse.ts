import type { SseEvent } from "./types.ts";

/**
 * Incremental server-sent-events decoder: feed it text as it arrives, get whole
 * events back. Handles \n, \r\n and \r line ends, multi-line data and comments.
 */
export class SseDecoder {
  private buffer = "";
  private event: string | undefined;
  private data: string[] = [];

  push(text: string): SseEvent[] {
    this.buffer += text;
    const out: SseEvent[] = [];
    let start = 0;
    for (;;) {
      const nl = this.nextLineEnd(start);
      if (nl === -1) break;
      const line = this.buffer.slice(start, nl);
      start = nl + (this.buffer[nl] === "\r" && this.buffer[nl + 1] === "\n" ? 2 : 1);
      this.line(line, out);
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /** Any event left when the stream ends without a trailing blank line. */
  flush(): SseEvent[] {
    const out: SseEvent[] = [];
    if (this.buffer) this.line(this.buffer, out);
    this.buffer = "";
    this.line("", out);
    return out;
  }

  private nextLineEnd(from: number): number {
    const n = this.buffer.indexOf("\n", from);
    const r = this.buffer.indexOf("\r", from);
    if (r === -1) return n;
    if (n === -1) return r === this.buffer.length - 1 ? -1 : r; // a lone trailing \r may be half of \r\n
    return Math.min(n, r);
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === "") {
      if (this.data.length) out.push({ ...(this.event ? { event: this.event } : {}), data: this.data.join("\n") });
      this.event = undefined;
      this.data = [];
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
  }
}

export function encodeSse(data: string, event?: string): string {
  return `${event ? `event: ${event}\n` : ""}data: ${data}\n\n`;
}
