/**
 * Appends JSON straight into one growing Buffer. List/search pages are ~160 KB of mostly pre-encoded
 * fragments; building them as JS strings cost more in rope flattening and UTF-8 conversion than in
 * generating the values, so the hot path writes bytes instead.
 */
import { isSafeAscii, strJson } from "./serialize.js";

/** Node's unchecked writers (present on every Buffer, missing from @types/node); buf.write() validates its
 * arguments on each call, which dominated when writing thousands of short strings per page. */
interface FastBuffer extends Buffer {
  latin1Write(s: string, offset: number): number;
  utf8Write(s: string, offset: number): number;
}

export class ByteWriter {
  private buf: Buffer;
  pos = 0;
  constructor(size = 256 * 1024) {
    this.buf = Buffer.allocUnsafe(size);
  }
  reset(): this {
    this.pos = 0;
    return this;
  }
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  /** A string known to be ASCII (keys, ids, numbers, dates, pre-quoted safe values). */
  ascii(s: string): void {
    this.ensure(s.length);
    this.pos += (this.buf as FastBuffer).latin1Write(s, this.pos);
  }
  utf8(s: string): void {
    this.ensure(s.length * 3);
    this.pos += (this.buf as FastBuffer).utf8Write(s, this.pos);
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    // TypedArray#set measured ~35 ns per 40-byte fragment, faster than a JS byte loop or latin1Write.
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  /** One byte (a separator such as `,` = 44). */
  byte(c: number): void {
    this.ensure(1);
    this.buf[this.pos++] = c;
  }
  /** bytes() without the capacity check; the caller ensure()d room for a whole record. */
  bytesUnchecked(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  byteUnchecked(c: number): void {
    this.buf[this.pos++] = c;
  }
  /** A JSON string literal for any value. */
  jsonString(v: string): void {
    if (isSafeAscii(v)) this.ascii('"' + v + '"');
    else this.utf8(strJson(v));
  }
  /**
   * What was written; the writer moves on to a recycled or fresh buffer. Pass the result to
   * releaseBytes() once it is on the wire: allocating ~160 KB of external memory per page made V8 run
   * full GCs far more often than the JSON work itself needed.
   */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = FREE.pop() ?? Buffer.allocUnsafe(Math.max(256 * 1024, this.buf.length));
    this.pos = 0;
    return out;
  }
}

const FREE: Buffer[] = [];

/** Returns a take()n buffer to the pool (safe to call with any Buffer; foreign ones are ignored). */
export function releaseBytes(b: Buffer): void {
  if (b.byteOffset !== 0 || b.buffer.byteLength < 256 * 1024 || FREE.length >= 32) return;
  FREE.push(Buffer.from(b.buffer, 0, b.buffer.byteLength));
}

/** One writer shared by all synchronous route handlers. */
export const sharedWriter = new ByteWriter();
