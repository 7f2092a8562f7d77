import { defer, of, throwError } from "rxjs";
import type { TestScheduler } from "rxjs/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { backoffDelay, retryBackoff } from "../../src/operators/retry-backoff.js";
import { createTestScheduler } from "../helpers/marbles.js";

const fixed = (r: number) => () => r;

describe("backoffDelay", () => {
  it.each([
    // attempt, base, max, random, expected
    [1, 500, 60_000, 0, 250],
    [1, 500, 60_000, 0.5, 375],
    [2, 500, 60_000, 0, 500],
    [3, 500, 60_000, 0.5, 1500],
    [4, 500, 60_000, 0.999, 3998],
    [8, 500, 60_000, 0, 30_000],
    [9, 500, 60_000, 0, 30_000],
    [9, 500, 60_000, 0.999, 59_970],
    [200, 500, 60_000, 0.5, 45_000],
    [0, 500, 60_000, 0, 250],
  ])("waits attempt %i (base %i, cap %i, random %d) → %i ms", (attempt, baseDelayMs, maxDelayMs, r, expected) => {
    expect(backoffDelay(attempt, { baseDelayMs, maxDelayMs, random: fixed(r) })).toBe(expected);
  });

  it("never exceeds the cap and never drops below half of it once capped", () => {
    for (let attempt = 1; attempt < 40; attempt++) {
      for (const r of [0, 0.25, 0.5, 0.9999]) {
        const d = backoffDelay(attempt, { baseDelayMs: 100, maxDelayMs: 1000, random: fixed(r) });
        const ceiling = Math.min(1000, 100 * 2 ** (attempt - 1));
        expect(d).toBeLessThanOrEqual(ceiling);
        expect(d).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
      }
    }
  });
});

describe("retryBackoff", () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it("re-subscribes after jittered exponential waits and succeeds on a later attempt", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      let attempt = 0;
      const failing = cold("--#");
      const succeeding = cold("--a|");
      const source = defer(() => (++attempt < 3 ? failing : succeeding));
      const result = source.pipe(retryBackoff({ maxAttempts: 3, baseDelayMs: 4, random: fixed(0), scheduler }));
      // fails at 2, waits 2 (attempt 1), fails at 6, waits 4 (attempt 2), succeeds at 12
      expectObservable(result).toBe("12ms a|");
      expectSubscriptions(failing.subscriptions).toBe(["^-!", "4ms ^-!"]);
      expectSubscriptions(succeeding.subscriptions).toBe("10ms ^--!");
    });
  });

  it("gives up after maxAttempts total attempts with the last error", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("-#", undefined, new Error("503"));
      const result = source.pipe(retryBackoff({ maxAttempts: 3, baseDelayMs: 2, random: fixed(0), scheduler }));
      expectObservable(result).toBe("6ms #", undefined, new Error("503"));
      expectSubscriptions(source.subscriptions).toBe(["^!", "2ms ^!", "5ms ^!"]);
    });
  });

  it("propagates a non-retryable error at once", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("-#", undefined, new Error("403"));
      const result = source.pipe(retryBackoff({ isRetryable: () => false, scheduler }));
      expectObservable(result).toBe("-#", undefined, new Error("403"));
      expectSubscriptions(source.subscriptions).toBe("^!");
    });
  });

  it("waits exactly retryAfterMs when it returns a number, and the backoff otherwise", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("#", undefined, new Error("429"));
      const waits: Array<[number, number]> = [];
      const result = source.pipe(
        retryBackoff({
          maxAttempts: 3,
          baseDelayMs: 4,
          random: fixed(0),
          retryAfterMs: (_err) => (waits.length === 0 ? 7 : undefined),
          onRetry: (_err, attempt, delayMs) => waits.push([attempt, delayMs]),
          scheduler,
        }),
      );
      // 7 (Retry-After) then backoff for attempt 2: 4 * 2 / 2 = 4
      expectObservable(result).toBe("11ms #", undefined, new Error("429"));
      expectSubscriptions(source.subscriptions).toBe(["(^!)", "7ms (^!)", "11ms (^!)"]);
      scheduler.flush();
      expect(waits).toEqual([
        [1, 7],
        [2, 4],
      ]);
    });
  });

  it("does not retry when maxAttempts is 1", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("-#");
      expectObservable(source.pipe(retryBackoff({ maxAttempts: 1, scheduler }))).toBe("-#");
      expectSubscriptions(source.subscriptions).toBe("^!");
    });
  });

  it("passes values of a successful source through untouched", () => {
    const values: number[] = [];
    of(1, 2, 3)
      .pipe(retryBackoff())
      .subscribe((v) => values.push(v));
    expect(values).toEqual([1, 2, 3]);
  });

  it("hands the error and attempt to isRetryable and onRetry", () => {
    scheduler.run(({ expectObservable }) => {
      const seen: unknown[] = [];
      const err = new Error("boom");
      const result = throwError(() => err).pipe(
        retryBackoff({
          maxAttempts: 2,
          baseDelayMs: 2,
          random: fixed(0),
          isRetryable: (e) => {
            seen.push(["isRetryable", e]);
            return true;
          },
          onRetry: (e, attempt, delayMs) => seen.push(["onRetry", e, attempt, delayMs]),
          scheduler,
        }),
      );
      expectObservable(result).toBe("1ms #", undefined, err);
      scheduler.flush();
      expect(seen).toEqual([
        ["isRetryable", err],
        ["onRetry", err, 1, 1],
      ]);
    });
  });
});
