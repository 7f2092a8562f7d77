import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSource } from "../../src/commands/connector.js";
import { parseConfig } from "../../src/config.js";
import type { PipelineEvents } from "../../src/pipeline.js";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { HubSpotSource } from "../../src/source.js";
import type { StreamState } from "../../src/sources/page.js";
import { MemorySink } from "../helpers/memory-sink.js";

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ seed: 7, scale: "small", counts: { contacts: 2_000 }, rateLimits: false });
});
afterAll(() => sim.close());

interface Run {
  sink: MemorySink;
  checkpoints: { stream: string; state: StreamState; count: number }[];
  statuses: string[];
  summaries: Awaited<ReturnType<typeof runSource>>;
}

/** contacts then owners, one stream at a time, aborted once `abortAfter` contacts were written. */
async function sync(states: Map<string, StreamState>, abortAfter?: number): Promise<Run> {
  const { config } = parseConfig({
    credentials: { access_token: sim.credentials.privateAppToken },
    base_url: sim.url,
    requests_per_10s: 100_000,
    max_concurrent_streams: 1,
  });
  const source = new HubSpotSource(config, { log: () => {} });
  const controller = new AbortController();
  const run: Run = { sink: new MemorySink(), checkpoints: [], statuses: [], summaries: [] };
  const events: PipelineEvents = {
    status: (stream, status) => {
      run.statuses.push(`${stream} ${status}`);
    },
    state: (stream, state, count) => {
      states.set(stream, state);
      run.checkpoints.push({ stream, state, count });
    },
    log: () => {},
    streamError: () => {},
    progress: (stream, records) => {
      if (abortAfter !== undefined && stream === "contacts" && records >= abortAfter) controller.abort();
    },
  };
  const catalog = {
    streams: ["contacts", "owners"].map((name) => ({
      name,
      syncMode: "incremental" as const,
      destinationSyncMode: "append" as const,
    })),
  };
  try {
    run.summaries = await runSource(source, run.sink, events, catalog, states, [], {
      everyMs: 3_600_000,
      everyRecords: 1_000_000,
      signal: controller.signal,
    });
  } finally {
    source.close();
  }
  return run;
}

describe("runSource with an abort signal", () => {
  it("stops after the page being written, checkpoints what was written, and a resumed run loses nothing", async () => {
    const states = new Map<string, StreamState>();
    const first = await sync(states, 300);

    const contacts = first.summaries.find((s) => s.stream === "contacts");
    expect(contacts?.status).toBe("interrupted");
    expect(first.summaries.find((s) => s.stream === "owners")).toMatchObject({ status: "interrupted", records: 0 });
    const written = first.sink.rows("contacts").length;
    expect(written).toBeGreaterThanOrEqual(300);
    expect(written).toBeLessThan(sim.portal.count("contacts"));
    expect(first.checkpoints).toHaveLength(1);
    expect(first.checkpoints[0]).toMatchObject({ stream: "contacts", count: written });
    expect(first.statuses).toEqual(["contacts STARTED", "contacts RUNNING", "contacts INCOMPLETE"]);

    const second = await sync(states);
    expect(second.summaries.map((s) => s.status)).toEqual(["complete", "complete"]);
    const ids = new Set([...first.sink.rows("contacts"), ...second.sink.rows("contacts")].map((r) => String(r.id)));
    expect(ids.size).toBe(sim.portal.count("contacts"));
    expect(second.sink.rows("contacts").length).toBeLessThan(sim.portal.count("contacts"));
  });

  it("starts no stream once aborted", async () => {
    const { config } = parseConfig({
      credentials: { access_token: sim.credentials.privateAppToken },
      base_url: sim.url,
    });
    const source = new HubSpotSource(config, { log: () => {} });
    const statuses: string[] = [];
    const events: PipelineEvents = {
      status: (s, st) => {
        statuses.push(`${s} ${st}`);
      },
      state: () => {},
      log: () => {},
      streamError: () => {},
    };
    try {
      const summaries = await runSource(
        source,
        new MemorySink(),
        events,
        { streams: [{ name: "owners", syncMode: "full_refresh", destinationSyncMode: "overwrite" }] },
        new Map(),
        [],
        { everyMs: 1, everyRecords: 1, signal: AbortSignal.abort() },
      );
      expect(summaries).toEqual([{ stream: "owners", records: 0, status: "interrupted", reason: "not started" }]);
      expect(statuses).toEqual([]);
    } finally {
      source.close();
    }
  });
});
