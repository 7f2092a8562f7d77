import { merge, type SchedulerAction, type SchedulerLike, type Subscription } from "rxjs";
import type { TestScheduler } from "rxjs/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { GrantLog, nextGrantAt } from "../../src/operators/grant-log.js";
import { createRateBudget, rateLimit } from "../../src/operators/rate-limit.js";
import { createTestScheduler } from "../helpers/marbles.js";

describe("nextGrantAt", () => {
  it.each([
    // log (oldest first), now, max, windowMs, expected
    [[], 0, 2, 10, 0],
    [[0], 0, 2, 10, 0],
    [[0, 0], 0, 2, 10, 10],
    [[0, 3], 5, 2, 10, 10],
    [[0, 3], 12, 2, 10, 12],
    [[0, 3], 12, 1, 10, 13],
    [[0, 3], 20, 2, 10, 20],
    [[0, 3, 4], 5, 2, 10, 13],
    [[0, 3, 4], 5, 3, 10, 10],
    [[0, 3, 4], 5, 4, 10, 5],
    [[7], 7, 1, 1000, 1007],
    [[1, 2, 3], 3, 0, 10, Number.POSITIVE_INFINITY],
  ])("with log %j at %i (max %i per %i) grants at %d", (times, now, max, windowMs, expected) => {
    expect(nextGrantAt(new GrantLog(Math.max(times.length, 1), times), now, max, windowMs)).toBe(expected);
  });

  it("reads the right entries after the ring buffer wrapped", () => {
    const log = new GrantLog(3);
    for (const t of [1, 2, 3, 4, 5]) log.push(t);
    expect([log.length, log.fromEnd(1), log.fromEnd(2), log.fromEnd(3)]).toEqual([3, 5, 4, 3]);
    expect(nextGrantAt(log, 5, 3, 10)).toBe(13);
  });

  it("keeps order when the capacity grows after wrapping", () => {
    const log = new GrantLog(2, [1, 2, 3]);
    log.ensureCapacity(4);
    log.push(9);
    expect([log.fromEnd(1), log.fromEnd(2), log.fromEnd(3)]).toEqual([9, 3, 2]);
    expect(log.capacity).toBe(4);
  });

  it("counts the grants after a time by binary search", () => {
    const log = new GrantLog(5, [1, 2, 2, 5, 9]);
    expect([0, 1, 2, 4, 5, 9].map((t) => log.countAfter(t))).toEqual([5, 4, 2, 2, 1, 0]);
  });
});

/** Records every timer the budget schedules, to prove it keeps no busy or orphaned timers. */
function spyScheduler(scheduler: TestScheduler): { spy: SchedulerLike; timers: Subscription[] } {
  const timers: Subscription[] = [];
  type Work = (this: SchedulerAction<unknown>, state?: unknown) => void;
  const schedule = (work: Work, delay?: number, state?: unknown): Subscription => {
    const timer = scheduler.schedule(work, delay, state);
    timers.push(timer);
    return timer;
  };
  const spy = { now: () => scheduler.now(), schedule } as SchedulerLike;
  return { spy, timers };
}

describe("rateLimit", () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it("grants five subscriptions at 0, 0, 10, 10, 20 with max 2 per 10 frames", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const budget = createRateBudget({ max: 2, windowMs: 10, scheduler });
      const request = cold("a|");
      const five = merge(...Array.from({ length: 5 }, () => request.pipe(rateLimit(budget))));
      expectObservable(five).toBe("(aa) 6ms (aa) 6ms a|");
      expectSubscriptions(request.subscriptions).toBe(["^!", "^!", "10ms ^!", "10ms ^!", "20ms ^!"]);
      scheduler.flush();
      expect(budget.stats()).toMatchObject({ granted: 5, waitedMs: 40, waiting: 0 });
    });
  });

  it("never grants more than max within any rolling window, whenever requests arrive", () => {
    scheduler.run(({ cold, hot, expectSubscriptions }) => {
      const budget = createRateBudget({ max: 2, windowMs: 10, scheduler });
      const request = cold("a|");
      const arrivals = hot("a--b----c-d", { a: 0, b: 0, c: 0, d: 0 });
      // a at 0, b at 3, c waits until 10 (a left), d waits until 13 (b left)
      arrivals.subscribe(() => request.pipe(rateLimit(budget)).subscribe());
      expectSubscriptions(request.subscriptions).toBe(["^!", "3ms ^!", "10ms ^!", "13ms ^!"]);
    });
  });

  it("serves waiters first in, first out", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const budget = createRateBudget({ max: 1, windowMs: 5, scheduler });
      const order = merge(
        cold("x|").pipe(rateLimit(budget)),
        cold("y|").pipe(rateLimit(budget)),
        cold("z|").pipe(rateLimit(budget)),
      );
      expectObservable(order).toBe("x----y----z|");
    });
  });

  it("grants nobody while paused, then resumes the rolling window", () => {
    scheduler.run(({ cold, expectSubscriptions }) => {
      const budget = createRateBudget({ max: 2, windowMs: 10, scheduler });
      const request = cold("a|");
      request.pipe(rateLimit(budget)).subscribe();
      budget.pause(25);
      budget.pause(5); // a shorter pause never shortens the current one
      for (let i = 0; i < 3; i++) request.pipe(rateLimit(budget)).subscribe();
      expectSubscriptions(request.subscriptions).toBe(["^!", "25ms ^!", "25ms ^!", "35ms ^!"]);
      scheduler.flush();
      expect(budget.stats().pausedUntil).toBe(25);
    });
  });

  it("adopts a raised max at once for the waiters", () => {
    scheduler.run(({ cold, expectSubscriptions }) => {
      const budget = createRateBudget({ max: 1, windowMs: 10, scheduler });
      const request = cold("a|");
      for (let i = 0; i < 4; i++) request.pipe(rateLimit(budget)).subscribe();
      scheduler.schedule(() => budget.setMax(3), 2);
      expectSubscriptions(request.subscriptions).toBe(["^!", "2ms ^!", "2ms ^!", "10ms ^!"]);
    });
  });

  it("holds waiters back when max is lowered", () => {
    scheduler.run(({ cold, expectSubscriptions }) => {
      const budget = createRateBudget({ max: 3, windowMs: 10, scheduler });
      budget.setMax(1);
      const request = cold("a|");
      for (let i = 0; i < 3; i++) request.pipe(rateLimit(budget)).subscribe();
      expectSubscriptions(request.subscriptions).toBe(["^!", "10ms ^!", "20ms ^!"]);
    });
  });

  it("gives the place up when a waiter unsubscribes", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const budget = createRateBudget({ max: 1, windowMs: 10, scheduler });
      const first = cold("a|");
      const quitter = cold("q|");
      const last = cold("z|");
      expectObservable(first.pipe(rateLimit(budget))).toBe("a|");
      expectObservable(quitter.pipe(rateLimit(budget)), "^--!").toBe("");
      expectObservable(last.pipe(rateLimit(budget))).toBe("10ms z|");
      expectSubscriptions(quitter.subscriptions).toBe([]);
      expectSubscriptions(last.subscriptions).toBe("10ms ^!");
      scheduler.flush();
      expect(budget.stats()).toMatchObject({ granted: 2, waiting: 0 });
    });
  });

  it("cancels its timer when the last waiter leaves", () => {
    scheduler.run(({ cold }) => {
      const { spy, timers } = spyScheduler(scheduler);
      const budget = createRateBudget({ max: 1, windowMs: 10, scheduler: spy });
      cold("a|").pipe(rateLimit(budget)).subscribe();
      const waiting = cold("b|").pipe(rateLimit(budget)).subscribe();
      expect(timers.map((t) => t.closed)).toEqual([false]);
      waiting.unsubscribe();
      expect(timers.map((t) => t.closed)).toEqual([true]);
      expect(budget.stats()).toMatchObject({ granted: 1, waiting: 0 });
    });
  });

  it("keeps one timer for the head of the queue, not one per waiter", () => {
    scheduler.run(({ cold }) => {
      const { spy, timers } = spyScheduler(scheduler);
      const budget = createRateBudget({ max: 2, windowMs: 10, scheduler: spy });
      for (let i = 0; i < 5; i++) cold("a|").pipe(rateLimit(budget)).subscribe();
      scheduler.flush();
      expect(timers.length).toBe(2);
      expect(budget.stats().granted).toBe(5);
    });
  });

  it("holds back when the server reports fewer remaining requests, until they leave the window", () => {
    scheduler.run(({ cold, expectSubscriptions }) => {
      const budget = createRateBudget({ max: 4, windowMs: 10, scheduler });
      const request = cold("a|");
      request.pipe(rateLimit(budget)).subscribe();
      // Another client used 2 more: the server has 1 left where we think 3 are.
      scheduler.schedule(() => {
        budget.observeRemaining(1);
        for (let i = 0; i < 3; i++) request.pipe(rateLimit(budget)).subscribe();
      }, 2);
      expectSubscriptions(request.subscriptions).toBe(["^!", "2ms ^!", "10ms ^!", "12ms ^!"]);
    });
  });

  it("ignores a server count that is higher than its own", () => {
    scheduler.run(({ cold, expectSubscriptions }) => {
      const budget = createRateBudget({ max: 2, windowMs: 10, scheduler });
      const request = cold("a|");
      request.pipe(rateLimit(budget)).subscribe();
      budget.observeRemaining(5);
      for (let i = 0; i < 2; i++) request.pipe(rateLimit(budget)).subscribe();
      expectSubscriptions(request.subscriptions).toBe(["^!", "^!", "10ms ^!"]);
    });
  });

  it("lets phantom grants expire after a shorter server interval", () => {
    scheduler.run(({ cold, expectSubscriptions }) => {
      const budget = createRateBudget({ max: 2, windowMs: 10, scheduler });
      budget.observeRemaining(0, 4);
      const request = cold("a|");
      for (let i = 0; i < 3; i++) request.pipe(rateLimit(budget)).subscribe();
      expectSubscriptions(request.subscriptions).toBe(["4ms ^!", "4ms ^!", "14ms ^!"]);
    });
  });

  it("re-acquires a slot on every resubscription", () => {
    scheduler.run(({ cold, expectSubscriptions }) => {
      const budget = createRateBudget({ max: 1, windowMs: 3, scheduler });
      const request = cold("a|");
      const limited = request.pipe(rateLimit(budget));
      limited.subscribe();
      limited.subscribe();
      expectSubscriptions(request.subscriptions).toBe(["^!", "3ms ^!"]);
    });
  });
});
