import { asyncScheduler, type SchedulerLike } from "rxjs";
import { describe, expect, it } from "vitest";
import { type PipelineEvents, type PipelineOptions, runPipeline } from "../src/pipeline.js";
import type { StreamState } from "../src/sources/page.js";
import type { StreamDef } from "../src/sources/stream-def.js";
import { clockAt, fakeTransport, type Handler, propertiesOf } from "./helpers/fake-transport.js";
import { MemorySink } from "./helpers/memory-sink.js";

describe("the last checkpoint of a finished run", () => {
  const events = () => {
    const states: StreamState[] = [];
    const e: PipelineEvents = {
      status: () => {},
      state: (_stream, state) => {
        states.push(state);
      },
      log: () => {},
      streamError: (_s, err) => {
        throw err;
      },
    };
    return { states, events: e };
  };

  const run = (
    def: StreamDef,
    handler: Handler,
    extra: Partial<PipelineOptions> & { state?: StreamState } = {},
  ): Promise<StreamState[]> => {
    const { states, events: e } = events();
    return runPipeline({
      transport: fakeTransport(handler),
      properties: propertiesOf(),
      streams: [{ def, syncMode: "incremental", state: extra.state }],
      sink: new MemorySink(),
      events: e,
      startDate: 0,
      lookbackMs: 0,
      maxConcurrentStreams: 1,
      checkpointEveryMs: 60_000,
      checkpointEveryRecords: 1_000,
      ...extra,
    }).then(() => states);
  };

  // Two windows of events, each window's last page checkpointing the next start.
  const windows: StreamDef = {
    name: "events",
    source: {
      kind: "time-windows",
      startParam: "start",
      endParam: "end",
      format: "ms",
      stepMs: 1_000,
      inner: { kind: "single", path: "/events", recordsPath: "events" },
    },
    primaryKey: [["id"]],
    cursorField: "created",
    incremental: "server",
    scopes: [],
  };
  const eventsHandler: Handler = (spec) => ({
    events: [{ id: String(spec.query?.start), created: spec.query?.start }],
  });

  it("is the newest state when the last page already triggered a checkpoint (record cadence)", async () => {
    const states = await run(windows, eventsHandler, {
      checkpointEveryRecords: 1,
      state: { created: 0 },
      scheduler: clockAt(1_500),
    });
    expect(states).toEqual([{ created: 1_000 }, { created: 1_500 }, { created: 1_500 }]);
  });

  it("is the newest state when every page is due by time (a clock past the interval at each page)", async () => {
    let now = 0;
    const ticking: SchedulerLike = { now: () => (now += 10), schedule: asyncScheduler.schedule.bind(asyncScheduler) };
    const owners: StreamDef = {
      name: "owners",
      source: { kind: "single", path: "/owners", recordsPath: "results" },
      primaryKey: [["id"]],
      cursorField: "updatedAt",
      incremental: "client",
      scopes: [],
    };
    const handler: Handler = () => ({
      results: [
        { id: "1", updatedAt: 7 },
        { id: "2", updatedAt: 9 },
      ],
    });
    const states = await run(owners, handler, { checkpointEveryMs: 1, state: { updatedAt: 5 }, scheduler: ticking });
    expect(states.at(-1)).toEqual({ updatedAt: 9 });
    expect(states.slice(1)).toEqual(states.slice(1).map(() => ({ updatedAt: 9 })));
  });
});
