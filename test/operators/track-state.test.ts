import { defer, of } from "rxjs";
import type { TestScheduler } from "rxjs/testing";
import { beforeEach, describe, it } from "vitest";
import { trackState } from "../../src/operators/track-state.js";
import type { Page } from "../../src/sources/page.js";
import { createTestScheduler } from "../helpers/marbles.js";

const page = (records: Page["records"], state?: Page["state"]): Page =>
  state === undefined ? { stream: "forms", records } : { stream: "forms", records, state };

describe("trackState", () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it("holds every page at the start cursor and emits the highest cursor on completion", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("-a-b-|", {
        a: page([{ updatedAt: "2024-01-05T00:00:00Z" }, { updatedAt: "2024-01-09T00:00:00.000Z" }], {
          updatedAt: "2024-01-09T00:00:00.000Z",
          after: "2",
        }),
        b: page([{ updatedAt: "2024-01-07" }, { updatedAt: "garbage" }, {}]),
      });
      const result = source.pipe(trackState({ cursorField: "updatedAt", start: "2024-01-01T00:00:00Z" }));
      expectObservable(result).toBe("-a-b-(f|)", {
        a: page([{ updatedAt: "2024-01-05T00:00:00Z" }, { updatedAt: "2024-01-09T00:00:00.000Z" }], {
          updatedAt: "2024-01-01T00:00:00Z",
          after: "2",
        }),
        b: page([{ updatedAt: "2024-01-07" }, { updatedAt: "garbage" }, {}], { updatedAt: "2024-01-01T00:00:00Z" }),
        f: page([], { updatedAt: "2024-01-09T00:00:00.000Z" }),
      });
      expectSubscriptions(source.subscriptions).toBe("^----!");
    });
  });

  it("keeps the start when no row is newer, in its own representation", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold("a|", { a: page([{ lastUpdated: 1000 }, { lastUpdated: "1500" }]) });
      const result = source.pipe(trackState({ cursorField: "lastUpdated", start: 2000 }));
      expectObservable(result).toBe("a(f|)", {
        a: page([{ lastUpdated: 1000 }, { lastUpdated: "1500" }], { lastUpdated: 2000 }),
        f: page([], { lastUpdated: 2000 }),
      });
    });
  });

  it("compares mixed representations as epoch ms and stores the row's own value", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold("a|", { a: page([{ lastUpdated: 1705449600001 }]) });
      const result = source.pipe(trackState({ cursorField: "lastUpdated", start: "2024-01-17" }));
      expectObservable(result).toBe("a(f|)", {
        a: page([{ lastUpdated: 1705449600001 }], { lastUpdated: "2024-01-17" }),
        f: page([], { lastUpdated: 1705449600001 }),
      });
    });
  });

  it("omits the key while running a first sync, and removes one set upstream", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold("a|", { a: page([{ u: { at: 5 } }], { at: 99, after: "x" }) });
      const result = source.pipe(trackState({ cursorField: "u.at", stateKey: "at" }));
      expectObservable(result).toBe("a(f|)", {
        a: page([{ u: { at: 5 } }], { after: "x" }),
        f: page([], { at: 5 }),
      });
    });
  });

  it("emits the start under the stream option when the source is empty", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const result = cold<Page>("--|").pipe(trackState({ cursorField: "updatedAt", start: 7, stream: "owners" }));
      expectObservable(result).toBe("--(f|)", { f: { stream: "owners", records: [], state: { updatedAt: 7 } } });
    });
  });

  it("emits nothing extra for an empty source with no stream name", () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold<Page>("--|").pipe(trackState({ cursorField: "updatedAt", start: 7 }))).toBe("--|");
    });
  });

  it("propagates an error without the final page", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold("a-#", { a: page([{ updatedAt: 10 }]) }, new Error("crash"));
      const result = source.pipe(trackState({ cursorField: "updatedAt", start: 1 }));
      expectObservable(result).toBe("a-#", { a: page([{ updatedAt: 10 }], { updatedAt: 1 }) }, new Error("crash"));
    });
  });

  it("starts afresh for every subscription", () => {
    scheduler.run(({ expectObservable }) => {
      // each subscription sees a different row, so a maximum shared between subscriptions would show
      let n = 0;
      const source = defer(() => of(page([{ updatedAt: ++n === 1 ? 50 : 20 }])));
      const tracked = source.pipe(trackState({ cursorField: "updatedAt", start: 10 }));
      expectObservable(tracked).toBe("(af|)", {
        a: page([{ updatedAt: 50 }], { updatedAt: 10 }),
        f: page([], { updatedAt: 50 }),
      });
      expectObservable(tracked).toBe("(bg|)", {
        b: page([{ updatedAt: 20 }], { updatedAt: 10 }),
        g: page([], { updatedAt: 20 }),
      });
    });
  });
});
