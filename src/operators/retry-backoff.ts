import {
  asyncScheduler,
  type MonoTypeOperatorFunction,
  type Observable,
  retry,
  type SchedulerLike,
  throwError,
  timer,
} from "rxjs";

/** Inputs of {@link backoffDelay}. */
export interface BackoffOptions {
  /** Delay scale of the first retry, in ms. */
  baseDelayMs: number;
  /** Upper bound of any delay, in ms. */
  maxDelayMs: number;
  /** Uniform source in [0, 1); `Math.random` in production, a constant in tests. */
  random: () => number;
}

/**
 * Computes the delay before retry number `attempt` (1 = first retry) with "equal jitter".
 *
 * The exponential ceiling `d = min(maxDelayMs, baseDelayMs * 2^(attempt-1))` is split in half: the first half is
 * always waited, the second half is random. Full jitter (`random * d`) spreads load slightly better, but may retry
 * a struggling server after ~0 ms; equal jitter keeps a guaranteed, growing pause (HubSpot 5xx and Retry-After-less
 * 429s need real time to clear) while still de-synchronising the concurrent workers that failed together.
 *
 * @example
 * backoffDelay(3, { baseDelayMs: 500, maxDelayMs: 60_000, random: () => 0.5 }); // 1500 (d = 2000)
 */
export function backoffDelay(attempt: number, { baseDelayMs, maxDelayMs, random }: BackoffOptions): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** exponent);
  const half = ceiling / 2;
  return Math.floor(half + random() * half);
}

/** Options of {@link retryBackoff}; every field is optional. */
export interface RetryBackoffConfig {
  /** Total attempts including the first subscription. @default 8 */
  maxAttempts?: number;
  /** See {@link BackoffOptions.baseDelayMs}. @default 500 */
  baseDelayMs?: number;
  /** See {@link BackoffOptions.maxDelayMs}. @default 60_000 */
  maxDelayMs?: number;
  /** Whether an error may be retried; a non-retryable error propagates at once. @default () => true */
  isRetryable?: (err: unknown) => boolean;
  /** A server-imposed wait (e.g. `Retry-After`) in ms; when it returns a number, that exact wait replaces the backoff. */
  retryAfterMs?: (err: unknown) => number | undefined;
  /** Called before each wait, e.g. to log; `attempt` is the retry number (1 = first retry). */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /** Jitter source. @default Math.random */
  random?: () => number;
  /** Scheduler of the waits. @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/**
 * Re-subscribes a cold source after a jittered exponential wait when it fails with a retryable error.
 *
 * Meant for single-request Observables (one HTTP call): a re-subscription repeats the whole source, so values
 * emitted before the error are emitted again.
 *
 * ```
 * source:  fails at frame 2 twice, then emits a at frame 2
 * retryBackoff({ maxAttempts: 3, baseDelayMs: 4, random: () => 0 })   waits 2, then 4
 * result:  ------------a|
 * subs:    ^-!
 *              ^-!
 *                    ^-!
 * ```
 *
 * @example
 * transport(request).pipe(
 *   retryBackoff({ isRetryable: (e) => e instanceof TransientError, retryAfterMs: (e) => (e as TransientError).retryAfterMs }),
 * );
 */
export function retryBackoff<T>(config: RetryBackoffConfig = {}): MonoTypeOperatorFunction<T> {
  const maxAttempts = config.maxAttempts ?? 8;
  const backoff: BackoffOptions = {
    baseDelayMs: config.baseDelayMs ?? 500,
    maxDelayMs: config.maxDelayMs ?? 60_000,
    random: config.random ?? Math.random,
  };
  const isRetryable = config.isRetryable ?? (() => true);
  const scheduler = config.scheduler ?? asyncScheduler;
  const delay = (err: unknown, attempt: number): Observable<unknown> => {
    if (!isRetryable(err)) return throwError(() => err);
    const serverWait = config.retryAfterMs?.(err);
    const delayMs = serverWait === undefined ? backoffDelay(attempt, backoff) : Math.max(0, serverWait);
    config.onRetry?.(err, attempt, delayMs);
    return timer(delayMs, scheduler);
  };
  return retry<T>({ count: Math.max(0, maxAttempts - 1), delay });
}
