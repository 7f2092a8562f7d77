import { createReadStream, createWriteStream } from "node:fs";
import { open, rename, rm, stat } from "node:fs/promises";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants, createGunzip, createGzip } from "node:zlib";

const SCAN = 64 * 1024;
const NL = 0x0a;

/**
 * Cut a plain NDJSON file back to its last "\n" (a killed run can leave half a line).
 * Reads backwards from the end in 64 KiB steps, so a healthy file costs one small read.
 * Returns the number of bytes removed.
 */
export async function repairTornTail(path: string): Promise<number> {
  const fh = await open(path, "r+").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
  if (!fh) return 0;
  try {
    const { size } = await fh.stat();
    let end = size;
    const buf = Buffer.allocUnsafe(SCAN);
    while (end > 0) {
      const start = Math.max(0, end - SCAN);
      const { bytesRead } = await fh.read(buf, 0, end - start, start);
      const at = buf.subarray(0, bytesRead).lastIndexOf(NL);
      if (at >= 0) {
        const keep = start + at + 1;
        if (keep < size) {
          await fh.truncate(keep);
          await fh.sync();
        }
        return size - keep;
      }
      end = start;
    }
    // no newline at all: the whole file is one torn line
    if (size > 0) {
      await fh.truncate(0);
      await fh.sync();
    }
    return size;
  } finally {
    await fh.close();
  }
}

/** Passes text through up to the last "\n" seen and drops whatever follows it at the end. */
class UpToLastNewline extends Transform {
  private held: Buffer[] = [];

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    const at = chunk.lastIndexOf(NL);
    if (at < 0) {
      this.held.push(chunk);
      cb();
      return;
    }
    for (const h of this.held) this.push(h);
    this.held = [];
    this.push(chunk.subarray(0, at + 1));
    if (at + 1 < chunk.length) this.held.push(chunk.subarray(at + 1));
    cb();
  }

  override _flush(cb: TransformCallback): void {
    this.held = [];
    cb();
  }
}

/**
 * The same repair for a gzip NDJSON file. A run killed mid-member leaves an unterminated gzip member
 * that no reader accepts and that cannot be appended to, so: verify the file with a strict streaming
 * gunzip (constant memory); if it fails or does not end in "\n", decode it leniently, keep everything
 * up to the last "\n", recompress to a temp file and rename it over the original.
 * Returns true when the file was rewritten.
 */
export async function repairTornGzip(path: string): Promise<boolean> {
  const size = await stat(path).then(
    (s) => s.size,
    () => -1,
  );
  if (size <= 0) return false;
  let last = -1;
  const healthy = await pipeline(
    createReadStream(path),
    createGunzip(),
    new Transform({
      transform(chunk: Buffer, _enc, cb) {
        if (chunk.length > 0) last = chunk[chunk.length - 1] ?? -1;
        cb();
      },
    }),
  ).then(
    () => true,
    () => false,
  );
  if (healthy && (last === NL || last === -1)) return false;
  const tmp = `${path}.repair`;
  try {
    await pipeline(
      createReadStream(path),
      createGunzip({ finishFlush: constants.Z_SYNC_FLUSH }),
      new UpToLastNewline(),
      createGzip(),
      createWriteStream(tmp),
    );
    const fh = await open(tmp, "r");
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
  return true;
}
