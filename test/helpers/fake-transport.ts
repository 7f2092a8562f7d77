import { asyncScheduler, defer, lastValueFrom, of, type SchedulerLike, throwError, toArray } from "rxjs";
import { HttpError } from "../../src/errors.js";
import type { Page } from "../../src/sources/page.js";
import type { PropertyCatalog } from "../../src/sources/properties.js";
import { alwaysReady, type Ready } from "../../src/sources/pull.js";
import { type ReadOptions, readStream } from "../../src/sources/read-stream.js";
import type { Source, StreamDef } from "../../src/sources/stream-def.js";
import type { RequestSpec, Transport } from "../../src/sources/transport.js";

export type Handler = (spec: RequestSpec) => unknown;

/**
 * A transport answering from a handler, logging every request; a thrown error becomes the call's error, and a
 * body the request's `validate` rejects fails as MALFORMED_RESPONSE (the real transport would first retry it).
 */
export function fakeTransport(handler: Handler, log: RequestSpec[] = []): Transport {
  const transport = {
    forStream: () => transport,
    request: (spec: RequestSpec) =>
      defer(() => {
        log.push(spec);
        try {
          const body = handler(spec);
          const problem = spec.validate?.(body);
          if (problem) {
            const route = `${spec.method} ${spec.path}`;
            return throwError(() => new HttpError(problem, "MALFORMED_RESPONSE", "transient", { status: 200, route }));
          }
          return of({ status: 200, body });
        } catch (err) {
          return throwError(() => err);
        }
      }),
  };
  return transport as unknown as Transport;
}

export const httpError = (status: number, body: unknown = {}) =>
  new HttpError(`HTTP ${status}`, `HTTP_${status}`, status === 403 ? "permission" : "api", {
    status,
    route: "GET /x",
    body,
  });

/** Properties of every object type: `names`, typed string. */
export const propertiesOf = (names: string[] = []): PropertyCatalog =>
  ({ of: () => of(names.map((name) => ({ name, type: "string" }))) }) as unknown as PropertyCatalog;

export function readOptions(transport: Transport, extra: Partial<ReadOptions> = {}): ReadOptions {
  return {
    transport,
    properties: propertiesOf(),
    syncMode: "full_refresh",
    startDate: 0,
    lookbackMs: 0,
    warn: () => {},
    ...extra,
  };
}

/** A clock stopped at `ms`, for readers whose only use of time is "now". */
export const clockAt = (ms: number): SchedulerLike => ({
  now: () => ms,
  schedule: asyncScheduler.schedule.bind(asyncScheduler),
});

/** Every page of a stream read with a sink that is always ready. */
export const readAll = (def: StreamDef, opts: ReadOptions, ready: Ready = alwaysReady): Promise<Page[]> =>
  lastValueFrom(readStream(def, opts, ready).pipe(toArray()));

/** A stream of the table's shape around `source`. */
export const streamOf = (source: Source, extra: Partial<StreamDef> = {}): StreamDef => ({
  name: "s",
  source,
  primaryKey: [["id"]],
  scopes: [],
  ...extra,
});
