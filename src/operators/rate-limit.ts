import {
  asyncScheduler,
  type MonoTypeOperatorFunction,
  mergeMap,
  Observable,
  type SchedulerLike,
  type Subscriber,
  type Subscription,
} from "rxjs";
import { GrantLog, nextGrantAt, nthGrantAt } from "./grant-log.js";

/** Options of {@link createRateBudget}. */
export interface RateBudgetOptions {
  /** Grants allowed within any `windowMs`-long interval (HubSpot: 190 per 10 s, search: 5 per 1 s). */
  max: number;
  /** Length of the rolling window, in ms. */
  windowMs: number;
  /** Shown in stats and logs. @default "default" */
  name?: string;
  /** Clock and timer of the budget. @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/** Counters of a {@link RateBudget}, for logs and the bench. */
export interface RateBudgetStats {
  name: string;
  max: number;
  windowMs: number;
  /** Grants handed out so far. */
  granted: number;
  /** Sum over grants of the time each waited in the queue, in ms. */
  waitedMs: number;
  /** Subscriptions waiting right now. */
  waiting: number;
  /** Until when {@link RateBudget.pause} holds every grant back (0 when never paused). */
  pausedUntil: number;
}

/** A rolling-window request budget shared by every request that goes through {@link rateLimit} with it. */
export interface RateBudget {
  readonly name: string;
  /** Emits once (then completes) when a slot is granted; unsubscribing before that gives the place up. */
  acquire(): Observable<void>;
  /** Grants nothing for `ms` from now (after a 429); pauses extend, never shorten. */
  pause(ms: number): void;
  /** Adopts a new `max` (e.g. `X-HubSpot-RateLimit-Max`); values below 1 count as 1. */
  setMax(max: number): void;
  /** Adopts a new window length (e.g. more slack for send jitter after a 429). */
  setWindow(windowMs: number): void;
  /** Ms from now until `n` more grants (after those already waiting) could have been made. */
  etaMs(n: number): number;
  /**
   * Reconciles with the server's count (`X-HubSpot-RateLimit-Remaining`): when the server has fewer requests left
   * than the budget thinks, the difference is logged as phantom grants made now, which hold the next grants back
   * and leave the window like real ones (at most `intervalMs` later, when the server's interval is shorter).
   */
  observeRemaining(remaining: number, intervalMs?: number): void;
  stats(): RateBudgetStats;
}

interface Waiter {
  readonly subscriber: Subscriber<void>;
  readonly since: number;
  prev: Waiter | undefined;
  next: Waiter | undefined;
  queued: boolean;
}

/**
 * Creates a FIFO rolling-window budget: never more than `max` grants within any `windowMs` interval.
 *
 * One timer at most is pending (for the head of the queue), and only while someone waits.
 *
 * @example
 * const budget = createRateBudget({ max: 190, windowMs: 10_000, name: "hubspot" });
 * const search = createRateBudget({ max: 5, windowMs: 1_000, name: "search" });
 */
export function createRateBudget(options: RateBudgetOptions): RateBudget {
  const scheduler = options.scheduler ?? asyncScheduler;
  const name = options.name ?? "default";
  let windowMs = options.windowMs;
  let max = Math.max(1, Math.floor(options.max));
  const log = new GrantLog(max);
  let head: Waiter | undefined;
  let tail: Waiter | undefined;
  let waiting = 0;
  let pausedUntil = 0;
  let granted = 0;
  let waitedMs = 0;
  let timer: Subscription | undefined;
  let draining = false;

  const unlink = (w: Waiter): void => {
    if (w.prev) w.prev.next = w.next;
    else head = w.next;
    if (w.next) w.next.prev = w.prev;
    else tail = w.prev;
    w.prev = w.next = undefined;
    w.queued = false;
    waiting--;
  };

  const earliest = (now: number): number => {
    const at = nextGrantAt(log, now, max, windowMs);
    return Math.max(at, pausedUntil);
  };

  const drain = (): void => {
    timer?.unsubscribe();
    timer = undefined;
    // A grant may synchronously subscribe a source that acquires again; the running loop serves it.
    if (draining) return;
    draining = true;
    try {
      while (head) {
        const now = scheduler.now();
        const at = earliest(now);
        if (at > now) {
          timer = scheduler.schedule(onTimer, at - now);
          return;
        }
        const w = head;
        unlink(w);
        log.push(now);
        granted++;
        waitedMs += now - w.since;
        w.subscriber.next();
        w.subscriber.complete();
      }
    } finally {
      draining = false;
    }
  };

  const onTimer = (): void => {
    timer = undefined;
    drain();
  };

  const acquire = (): Observable<void> =>
    new Observable<void>((subscriber) => {
      const w: Waiter = { subscriber, since: scheduler.now(), prev: tail, next: undefined, queued: true };
      if (tail) tail.next = w;
      else head = w;
      tail = w;
      waiting++;
      // Only a new head can change when the next grant happens; others wait behind the pending timer.
      if (head === w) drain();
      return () => {
        if (!w.queued) return;
        unlink(w);
        if (!head) {
          timer?.unsubscribe();
          timer = undefined;
        }
      };
    });

  const reschedule = (): void => {
    if (head) drain();
  };

  return {
    name,
    acquire,
    pause(ms) {
      const until = scheduler.now() + Math.max(0, ms);
      if (until > pausedUntil) pausedUntil = until;
      reschedule();
    },
    setMax(next) {
      max = Math.max(1, Math.floor(next));
      log.ensureCapacity(max);
      reschedule();
    },
    setWindow(next) {
      windowMs = Math.max(1, next);
      reschedule();
    },
    etaMs(n) {
      const now = scheduler.now();
      const k = waiting + Math.max(0, Math.ceil(n));
      if (k === 0) return 0;
      return Math.max(pausedUntil, nthGrantAt(log, now, max, windowMs, k)) - now;
    },
    observeRemaining(remaining, intervalMs = windowMs) {
      const now = scheduler.now();
      const used = Math.min(max, log.countAfter(now - windowMs));
      const deficit = max - used - Math.max(0, Math.floor(remaining));
      if (deficit <= 0) return;
      // Phantoms leave our window after min(windowMs, intervalMs), but never before earlier grants (the log is sorted).
      const shifted = now - windowMs + Math.min(windowMs, intervalMs);
      const latest = log.length > 0 ? log.fromEnd(1) : shifted;
      const at = Math.max(shifted, latest);
      for (let i = 0; i < deficit; i++) log.push(at);
      reschedule();
    },
    stats: () => ({ name, max, windowMs, granted, waitedMs, waiting, pausedUntil }),
  };
}

/**
 * Delays the subscription to the source until the shared budget grants it a slot.
 *
 * Like a turnstile in front of each request: the request itself is untouched, only when it starts is decided.
 *
 * ```
 * budget: max 2 per 10 frames; five sources subscribed at frame 0
 * subs:   ^!  ^!  10ms ^!  10ms ^!  20ms ^!
 * ```
 *
 * @example
 * const budget = createRateBudget({ max: 190, windowMs: 10_000 });
 * const page$ = defer(() => fetchPage(request)).pipe(rateLimit(budget), retryBackoff());
 */
export function rateLimit<T>(budget: RateBudget): MonoTypeOperatorFunction<T> {
  return (source) => budget.acquire().pipe(mergeMap(() => source));
}
