import type { Writable } from "node:stream";

/**
 * Resolve once `stream` may take more data: at once if its buffer is below the high-water mark,
 * otherwise on the next 'drain'. Rejects if the stream errors or closes first, so a producer
 * awaiting it can never hang on a dead destination.
 */
export function whenWritable(stream: Writable): Promise<void> {
  if (!stream.writableNeedDrain) return Promise.resolve();
  // Every producer waiting on one stream shares one set of listeners (many streams may wait on stdout at once).
  let waiting = pending.get(stream);
  if (!waiting) {
    waiting = drained(stream).finally(() => pending.delete(stream));
    pending.set(stream, waiting);
  }
  return waiting;
}

const pending = new WeakMap<Writable, Promise<void>>();

function drained(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      stream.off("drain", onDrain);
      stream.off("error", onError);
      stream.off("close", onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (err: Error) => done(err);
    const onClose = () => done(new Error("stream closed before it drained"));
    stream.on("drain", onDrain);
    stream.on("error", onError);
    stream.on("close", onClose);
  });
}

/** Write `chunk` and resolve when the stream accepted it (awaiting 'drain' when `write()` returned false). */
export async function writeAccepted(stream: Writable, chunk: string | Uint8Array): Promise<void> {
  if (stream.destroyed || stream.writableEnded) throw new Error("cannot write: stream already ended");
  if (!stream.write(chunk)) await whenWritable(stream);
}

/**
 * Resolve when every chunk written to `stream` so far has been handed to the underlying resource.
 * Writables process chunks in order, so the callback of an empty write fires after all earlier ones.
 */
export function writtenThrough(stream: Writable): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve();
  return new Promise((resolve, reject) => {
    stream.write("", (err) => (err ? reject(err) : resolve()));
  });
}
