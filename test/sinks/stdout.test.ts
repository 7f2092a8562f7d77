import { setImmediate as tick } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { stdoutSink } from "../../src/sinks/stdout.js";
import { SlowWritable } from "../helpers/slow-writable.js";

const page = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: String(from + i), updatedAt: "2026-01-02T03:04:05.000Z", n: from + i }));

describe("stdoutSink", () => {
  it("writes every row as an Airbyte RECORD line", async () => {
    const out = new SlowWritable({ highWaterMark: 1 << 20 });
    const sink = stdoutSink({ out, now: () => 1767322000123 });
    await sink.open({ name: "contacts", mode: "append" });
    await sink.write("contacts", page(0, 3));
    await sink.write("contacts", []);
    await sink.close();
    const lines = out.text().split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => {
      const msg = JSON.parse(line);
      expect(Object.keys(msg)).toEqual(["type", "record"]);
      expect(msg).toEqual({
        type: "RECORD",
        record: { stream: "contacts", data: page(i, 1)[0], emitted_at: 1767322000123 },
      });
    });
  });

  it("keeps RECORDs ahead of the STATE written after them on the same LineWriter", async () => {
    const out = new SlowWritable({ highWaterMark: 16 });
    const sink = stdoutSink({ out, now: () => 1 });
    await sink.open({ name: "contacts", mode: "append" });
    await sink.write("contacts", page(0, 2));
    await sink.lines.write(JSON.stringify({ type: "STATE", state: { n: 2 } }));
    await sink.write("contacts", page(2, 1));
    await sink.flush();
    const types = out
      .text()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).type);
    expect(types).toEqual(["RECORD", "RECORD", "STATE", "RECORD"]);
  });
});

describe("stdoutSink backpressure", () => {
  it("does not resolve write() until the writable drained", async () => {
    const out = new SlowWritable({ highWaterMark: 64, pace: "manual" });
    const sink = stdoutSink({ out, now: () => 1 });
    await sink.open({ name: "contacts", mode: "append" });
    let resolved = false;
    const p = sink.write("contacts", page(0, 5)).then(() => {
      resolved = true;
    });
    for (let i = 0; i < 5; i++) await tick();
    expect(resolved).toBe(false);
    expect(out.writableNeedDrain).toBe(true);
    expect(out.received).toHaveLength(0);
    while (!resolved) {
      out.release();
      await tick();
    }
    await p;
    expect(out.writableLength).toBe(0);
    expect(out.text().trim().split("\n")).toHaveLength(5);
  });

  const PAGES = 40;
  const PAGE_ROWS = 20;

  /** Drives the sink like the pipeline does; returns the most pages ever generated but not yet delivered. */
  async function produce(awaitEachWrite: boolean) {
    const out = new SlowWritable({ highWaterMark: 256, pace: "immediate" });
    const sink = stdoutSink({ out, now: () => 1 });
    await sink.open({ name: "contacts", mode: "append" });
    const deliveredPages = () => Math.floor((out.text().split("\n").length - 1) / PAGE_ROWS);
    let maxInFlight = 0;
    const pending: Promise<void>[] = [];
    for (let i = 0; i < PAGES; i++) {
      const rows = page(i * PAGE_ROWS, PAGE_ROWS); // generated lazily, like a reader asking for page i
      maxInFlight = Math.max(maxInFlight, i + 1 - deliveredPages());
      const w = sink.write("contacts", rows);
      if (awaitEachWrite) await w;
      else pending.push(w);
    }
    await Promise.all(pending);
    await sink.flush();
    const pageBytes = Math.max(...out.received.map((c) => Buffer.byteLength(c)));
    return { maxInFlight, maxBuffered: out.maxBuffered, pageBytes, lines: out.text().trim().split("\n").length };
  }

  it("keeps at most one page in flight when the producer awaits each write", async () => {
    const { maxInFlight, maxBuffered, pageBytes, lines } = await produce(true);
    expect(lines).toBe(PAGES * PAGE_ROWS);
    expect(maxInFlight).toBe(1);
    // memory flat: never more than the one page being written sits in the buffer
    expect(maxBuffered).toBeLessThanOrEqual(pageBytes);
  });

  it("lets pages pile up when the producer ignores backpressure (the measure above can fail)", async () => {
    const { maxInFlight, maxBuffered, pageBytes, lines } = await produce(false);
    expect(lines).toBe(PAGES * PAGE_ROWS);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxBuffered).toBeGreaterThan(2 * pageBytes);
  });
});
