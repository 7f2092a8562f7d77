import type { Row } from "../sources/page.js";
import type { Sink, TableSpec } from "./sink.js";

/** Await every promise (so no sink is left mid-operation), then fail with the first error if any. */
async function all(ops: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(ops);
  for (const r of results) if (r.status === "rejected") throw r.reason;
}

/**
 * Fan out to several sinks (`--sink ndjson,parquet`): each call goes to every sink and resolves
 * when all of them accepted it, so the slowest sink sets the pace.
 *
 * @example
 * const sink = multiSink([ndjsonSink({ dir }), parquetSink({ dir })]);
 */
export function multiSink(sinks: readonly Sink[]): Sink {
  if (sinks.length === 0) throw new Error("multiSink needs at least one sink");
  return {
    name: sinks.map((s) => s.name).join(","),
    open: (table: TableSpec) => all(sinks.map((s) => s.open(table))),
    write: (table: string, rows: readonly Row[]) => all(sinks.map((s) => s.write(table, rows))),
    flush: () => all(sinks.map((s) => s.flush())),
    complete: (table: string) => all(sinks.map((s) => s.complete?.(table) ?? Promise.resolve())),
    close: () => all(sinks.map((s) => s.close())),
  };
}
