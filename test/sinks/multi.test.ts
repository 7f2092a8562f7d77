import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSink, multiSink } from "../../src/sinks/index.js";
import type { Sink } from "../../src/sinks/sink.js";

describe("multiSink", () => {
  it("writes every row to each sink (ndjson + parquet)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "multi-sink-"));
    try {
      const sink = multiSink([createSink("ndjson", { dir }), createSink("parquet", { dir })]);
      expect(sink.name).toBe("ndjson,parquet");
      await sink.open({ name: "owners", mode: "overwrite", columns: [{ name: "id", type: "string" }] });
      await sink.write("owners", [{ id: "1" }, { id: "2" }]);
      await sink.close();
      expect((await readFile(join(dir, "owners.ndjson"), "utf8")).trim().split("\n")).toHaveLength(2);
      expect((await readdir(join(dir, "owners"))).filter((f) => f.endsWith(".parquet"))).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("lets every sink finish and then reports the first failure", async () => {
    const calls: string[] = [];
    const ok: Sink = {
      name: "ok",
      open: async () => {},
      write: async () => {
        await new Promise((r) => setTimeout(r, 1));
        calls.push("ok wrote");
      },
      flush: async () => {},
      close: async () => {},
    };
    const bad: Sink = { ...ok, name: "bad", write: () => Promise.reject(new Error("disk full")) };
    await expect(multiSink([bad, ok]).write("t", [{ id: "1" }])).rejects.toThrow("disk full");
    expect(calls).toEqual(["ok wrote"]);
  });

  it("forwards complete() to every sink that has it", async () => {
    const completed: string[] = [];
    const base: Sink = {
      name: "plain",
      open: async () => {},
      write: async () => {},
      flush: async () => {},
      close: async () => {},
    };
    const tracking: Sink = { ...base, name: "tracking", complete: async (t) => void completed.push(t) };
    await multiSink([base, tracking, { ...tracking, name: "second" }]).complete?.("contacts");
    expect(completed).toEqual(["contacts", "contacts"]);
  });

  it("rejects an unknown sink kind", () => {
    expect(() => createSink("csv" as never, {} as never)).toThrow(/unknown sink kind/);
  });
});
