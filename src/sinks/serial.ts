/**
 * Runs async operations one at a time, in call order; the first failure fails every later one (a sink whose
 * database connection broke must not go on writing half its tables).
 *
 * @example
 * const db = serial();
 * await db.run(() => conn.run("BEGIN"));
 */
export function serial(): {
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Resolves once every operation queued so far has settled. */
  idle(): Promise<void>;
  /** The first failure, if any. */
  failure(): unknown;
} {
  let queue: Promise<unknown> = Promise.resolve();
  let failure: unknown;
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      const p = queue.then(() => {
        if (failure) throw failure;
        return fn();
      });
      queue = p.catch((err) => {
        failure ??= err;
      });
      return p;
    },
    idle: () => queue.then(() => undefined),
    failure: () => failure,
  };
}
