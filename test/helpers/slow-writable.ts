import { Writable } from "node:stream";

export interface SlowWritableOptions {
  /** Buffer size in bytes above which `write()` returns false (default 64). */
  highWaterMark?: number;
  /** How each write completes: "immediate" (setImmediate), a delay in ms (setTimeout), or "manual" (`release()`). */
  pace?: "immediate" | "manual" | number;
}

/**
 * A Writable that takes its time: each chunk completes only later, so its buffer fills and it
 * signals backpressure. Keeps everything it received for assertions.
 */
export class SlowWritable extends Writable {
  /** Text of every chunk whose write completed, in order. */
  readonly received: string[] = [];
  /** Largest number of bytes ever buffered (not yet completed). */
  maxBuffered = 0;
  private held: (() => void)[] = [];
  private readonly pace: "immediate" | "manual" | number;

  constructor(options: SlowWritableOptions = {}) {
    super({ highWaterMark: options.highWaterMark ?? 64, decodeStrings: false });
    this.pace = options.pace ?? "immediate";
  }

  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
    const complete = () => {
      this.received.push(chunk.toString());
      cb();
    };
    if (this.pace === "manual") this.held.push(complete);
    else if (this.pace === "immediate") setImmediate(complete);
    else setTimeout(complete, this.pace);
  }

  /** Complete the held writes (manual pace); returns how many were released. */
  release(): number {
    const held = this.held;
    this.held = [];
    for (const complete of held) complete();
    return held.length;
  }

  /** Everything received, joined. */
  text(): string {
    return this.received.join("");
  }
}
