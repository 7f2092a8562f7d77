import type { Observable } from "rxjs";
import type { Page, StreamState } from "../page.js";
import type { Ready } from "../pull.js";
import type { ReadOptions } from "../read-stream.js";
import type { EndpointSource, StreamDef } from "../stream-def.js";
import type { QueryValue } from "../transport.js";

/** What every kind's reader knows about the run, fixed when the stream starts. */
export interface ReadContext {
  def: StreamDef;
  opts: ReadOptions;
  /** The run's start (the scheduler's now): windows end here, the recent endpoint's horizon counts back from it. */
  now: number;
  /** The saved cursor of an incremental run, epoch ms (unusable cursors were dropped); undefined: from start_date. */
  cursorMs?: number;
  /** The saved state of an incremental run, unusable cursors dropped (per-parent cursors live here). */
  state?: StreamState;
  /** Lower bound of the client-side cursor filter, epoch ms: detail requests skip records it would drop. */
  clientSince?: number;
  /** Reads another source of the table on this context (a fallback). */
  read(src: EndpointSource, ready: Ready): Observable<Page>;
}

/** How a composition narrows one read of an inner paged source. */
export interface SubRead {
  /** Fills `{param}` placeholders of the path; a param without a placeholder becomes a query parameter. */
  params?: Record<string, string>;
  query?: Record<string, QueryValue>;
  /** Field set on every record (a fan-out value, a parent id). */
  tag?: readonly [field: string, value: unknown];
  /** State carried by the read's last page (a finished window). */
  lastState?: StreamState;
}
