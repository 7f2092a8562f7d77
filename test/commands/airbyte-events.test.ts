import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { airbyteEvents, MessageOut, PROGRESS_EVERY_MS } from "../../src/commands/airbyte-events.js";
import { LineWriter } from "../../src/sinks/line-writer.js";
import { expectValidLines } from "../helpers/protocol-validator.js";

function capture() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (d) => {
    text += d;
  });
  return { out: new MessageOut(new LineWriter(stream), (t) => t), text: () => text };
}

describe("airbyteEvents", () => {
  it("reports progress as a LOG line at most every PROGRESS_EVERY_MS per stream", async () => {
    const c = capture();
    let t = 0;
    const events = airbyteEvents(c.out, () => t);
    events.progress?.("contacts", 100);
    t = PROGRESS_EVERY_MS / 2;
    events.progress?.("contacts", 200);
    t = PROGRESS_EVERY_MS;
    events.progress?.("contacts", 3_000);
    await new Promise((r) => setImmediate(r));
    const logs = expectValidLines(c.text()).filter((m) => m.type === "LOG") as Record<string, any>[];
    expect(logs.map((m) => m.log.message)).toEqual([`contacts: 3000 records so far (100 records/s)`]);
  });

  it("emits one ESTIMATE per stream once HubSpot reports a total, and quotes it in the progress LOG", async () => {
    const c = capture();
    let t = 0;
    const events = airbyteEvents(c.out, () => t);
    events.progress?.("contacts", 100);
    events.progress?.("contacts", 200, 5_000);
    t = PROGRESS_EVERY_MS;
    events.progress?.("contacts", 3_000, 5_000);
    await new Promise((r) => setImmediate(r));
    const msgs = expectValidLines(c.text()) as Record<string, any>[];
    const estimates = msgs.filter((m) => m.type === "TRACE" && m.trace.type === "ESTIMATE");
    expect(estimates.map((m) => m.trace.estimate)).toEqual([{ name: "contacts", type: "STREAM", row_estimate: 5_000 }]);
    expect(msgs.filter((m) => m.type === "LOG").map((m) => m.log.message)).toEqual([
      "contacts: 3000 of 5000 records so far (100 records/s)",
    ]);
  });

  it("traces an error once even when it is reported twice", async () => {
    const c = capture();
    const err = new Error("boom");
    await c.out.error(err, "deals");
    await c.out.error(err);
    expect(expectValidLines(c.text()).length).toBe(1);
  });
});
