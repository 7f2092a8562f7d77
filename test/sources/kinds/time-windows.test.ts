import { describe, expect, it } from "vitest";
import { nextStart, windowsBetween } from "../../../src/sources/kinds/time-windows.js";
import type { TimeWindowsSource } from "../../../src/sources/stream-def.js";
import type { RequestSpec } from "../../../src/sources/transport.js";
import { clockAt, fakeTransport, type Handler, readAll, readOptions, streamOf } from "../../helpers/fake-transport.js";

describe("windowsBetween", () => {
  it.each([
    [
      "splits into inclusive steps, the last one short",
      0,
      25,
      10,
      [
        [0, 9],
        [10, 19],
        [20, 25],
      ],
    ],
    [
      "an exact multiple",
      0,
      19,
      10,
      [
        [0, 9],
        [10, 19],
      ],
    ],
    ["one window without a step", 5, 50, undefined, [[5, 50]]],
    ["a single-millisecond range", 7, 7, 10, [[7, 7]]],
    ["nothing when lo > hi", 9, 3, 10, []],
  ] as const)("%s", (_name, lo, hi, step, want) => {
    expect(windowsBetween(lo, hi, step)).toEqual(want);
  });
});

describe("nextStart", () => {
  it.each([
    ["just past a finished inner window", [0, 9], 25, 10],
    ["the run's start after the last window (read again next time)", [20, 25], 25, 25],
  ] as const)("%s", (_name, w, hi, want) => {
    expect(nextStart(w, hi)).toBe(want);
  });
});

describe("time-window reads", () => {
  const src: TimeWindowsSource = {
    kind: "time-windows",
    startParam: "start",
    endParam: "end",
    format: "ms",
    stepMs: 1_000,
    inner: {
      kind: "offset-paged",
      path: "/events",
      recordsPath: "events",
      limit: 2,
      limitParam: "limit",
      hasMore: "hasMore",
    },
  };
  const def = streamOf(src, { cursorField: "created", incremental: "server" });
  // Two pages per window, whatever the window.
  const handler: Handler = (spec) =>
    spec.query?.offset
      ? { events: [{ id: `${spec.query.start}b` }], hasMore: false }
      : { events: [{ id: `${spec.query?.start}a` }], hasMore: true, offset: "x" };
  const NOW = 1_000_000;

  it("reads windows from the saved cursor to the run's start and checkpoints the next start after each", async () => {
    const log: RequestSpec[] = [];
    const lo = NOW - 2_500;
    const pages = await readAll(
      def,
      readOptions(fakeTransport(handler, log), {
        syncMode: "incremental",
        state: { created: lo },
        scheduler: clockAt(NOW),
      }),
    );
    const windows = log.filter((s) => !s.query?.offset).map((s) => [s.query?.start, s.query?.end]);
    expect(windows).toEqual([
      [lo, lo + 999],
      [lo + 1_000, lo + 1_999],
      [lo + 2_000, NOW],
    ]);
    // Mid-window pages carry no state; each window's last page moves the cursor just past it, the last to now.
    expect(pages.map((p) => p.state?.created)).toEqual([undefined, lo + 1_000, undefined, lo + 2_000, undefined, NOW]);
  });

  it("starts at the start date without a state", async () => {
    const log: RequestSpec[] = [];
    await readAll(def, readOptions(fakeTransport(handler, log), { startDate: NOW - 500, scheduler: clockAt(NOW) }));
    expect(log.map((s) => s.query?.start)).toEqual([NOW - 500, NOW - 500]);
  });
});
