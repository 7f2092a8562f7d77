import type { Writable } from "node:stream";
import type { Row } from "../sources/page.js";
import { LineWriter } from "./line-writer.js";
import type { Sink, TableSpec } from "./sink.js";

export interface StdoutSinkOptions {
  /** Where Airbyte messages go (default `process.stdout`). */
  out?: Writable;
  /** Clock for `emitted_at` in epoch ms (default `Date.now`). */
  now?: () => number;
}

/** The stdout sink also exposes its LineWriter, through which the pipeline writes STATE/LOG/TRACE. */
export interface StdoutSink extends Sink {
  readonly lines: LineWriter;
}

/**
 * The Airbyte destination-less mode: every row becomes one
 * `{"type":"RECORD","record":{"stream":…,"data":…,"emitted_at":…}}` line on stdout.
 * Other messages share `lines`, so awaiting each `write()` keeps RECORDs before the STATE that covers them.
 *
 * @example
 * const sink = stdoutSink();
 * await sink.write("contacts", rows);
 * await sink.lines.write(JSON.stringify({ type: "STATE", state }));
 */
export function stdoutSink(options: StdoutSinkOptions = {}): StdoutSink {
  const { out = process.stdout, now = Date.now } = options;
  const lines = new LineWriter(out);
  const opened = new Set<string>();
  return {
    name: "stdout",
    lines,
    async open(table: TableSpec): Promise<void> {
      opened.add(table.name);
    },
    write(table: string, rows: readonly Row[]): Promise<void> {
      if (!opened.has(table)) return Promise.reject(new Error(`stdout sink: table "${table}" was not opened`));
      if (rows.length === 0) return Promise.resolve();
      // one clock read per page: emitted_at is when the page was emitted
      const head = `{"type":"RECORD","record":{"stream":${JSON.stringify(table)},"data":`;
      const tail = `,"emitted_at":${Math.floor(now())}}}`;
      const out: string[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = head + JSON.stringify(rows[i]) + tail;
      return lines.write(out);
    },
    flush(): Promise<void> {
      return lines.flush();
    },
    async close(): Promise<void> {
      // stdout belongs to the process: flushed, never ended
      await lines.flush();
      opened.clear();
    },
  };
}
