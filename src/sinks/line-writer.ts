import type { Writable } from "node:stream";
import { writeAccepted, writtenThrough } from "./drain.js";

/**
 * Newline-delimited text over a Writable that honours backpressure. Every producer that shares one
 * instance (records, STATE, LOG, TRACE) gets its lines out in the order its `write()` calls were made,
 * because each call appends synchronously and only the resolution waits for 'drain'.
 *
 * @example
 * const lines = new LineWriter(process.stdout);
 * await lines.write(['{"type":"LOG",...}']);
 */
export class LineWriter {
  /** Lines handed to the writable so far. */
  lineCount = 0;

  constructor(readonly out: Writable) {}

  /** Append one line or several (each gets a trailing "\n"); resolves once the writable accepted them. */
  write(line: string | readonly string[]): Promise<void> {
    let chunk: string;
    if (typeof line === "string") {
      chunk = line + "\n";
      this.lineCount++;
    } else {
      if (line.length === 0) return Promise.resolve();
      chunk = line.join("\n") + "\n";
      this.lineCount += line.length;
    }
    return writeAccepted(this.out, chunk);
  }

  /** Resolve when every line written so far has left this process's buffers. */
  flush(): Promise<void> {
    return writtenThrough(this.out);
  }
}
