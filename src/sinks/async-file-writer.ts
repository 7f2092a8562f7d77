import type { FileHandle } from "node:fs/promises";
import { ByteWriter } from "hyparquet-writer";

/**
 * A hyparquet `Writer` that writes to a file asynchronously. hyparquet encodes a row group into the
 * in-memory buffer, then calls `flush()`; we copy the bytes out, reset the buffer (so it stays about one
 * row group large) and return the pending write, which `ParquetWriter.write()` hands back to us to await.
 * `finish()` writes the footer, then fsyncs and closes the file.
 */
export class AsyncFileWriter extends ByteWriter {
  private pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly fh: FileHandle) {
    super(1 << 20);
  }

  flush(): Promise<void> {
    if (this.index === 0) return this.pending.then(() => undefined);
    const chunk = new Uint8Array(this.buffer.slice(0, this.index));
    this.index = 0;
    // positionless writes append in call order, so chaining keeps the file contiguous
    this.pending = this.pending.then(() => this.fh.write(chunk));
    return this.pending.then(() => undefined);
  }

  override async finish(): Promise<void> {
    await this.flush();
    await this.fh.sync();
    await this.fh.close();
  }
}
