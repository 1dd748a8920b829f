import { describe, expect, it } from "vitest";
import { SseDecoder, SseEventTooLarge } from "../src/sse.ts";

describe("SseDecoder", () => {
  it("gives whole events back however the text is split, with \\n, \\r\\n and \\r line ends and multi-line data", () => {
    const text = 'data: {"a":1}\n\nevent: ping\r\ndata: x\r\ndata: y\r\n\r\n: comment\rdata: z\r\r';
    for (const cut of [1, 2, 3, 7, text.length]) {
      const sse = new SseDecoder();
      const events = [];
      for (let i = 0; i < text.length; i += cut) events.push(...sse.push(text.slice(i, i + cut)));
      events.push(...sse.flush());
      expect(events).toEqual([{ data: '{"a":1}' }, { event: "ping", data: "x\ny" }, { data: "z" }]);
    }
  });

  it("refuses a line that never ends once it passes the limit, instead of buffering it", () => {
    const sse = new SseDecoder(1_000);
    expect(sse.push("data: " + "x".repeat(900))).toEqual([]);
    expect(() => sse.push("x".repeat(200))).toThrow(SseEventTooLarge);
  });

  it("refuses an event whose data lines never end it, once they pass the limit together", () => {
    const sse = new SseDecoder(1_000);
    for (let i = 0; i < 10; i++) expect(sse.push(`data: ${"y".repeat(100)}\n`)).toEqual([]); // 1,000: at the limit
    expect(() => sse.push(`data: ${"y".repeat(100)}\n`)).toThrow(SseEventTooLarge);
  });

  it("counts each event on its own: many events, each under the limit, go through", () => {
    const sse = new SseDecoder(1_000);
    const events = [];
    for (let i = 0; i < 50; i++) events.push(...sse.push(`data: ${"z".repeat(500)}\n\n`));
    expect(events).toHaveLength(50);
  });
});
