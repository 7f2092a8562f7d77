/**
 * The pure step of each paged kind, behind one interface: the paging fields of the request for a cursor, and the
 * records and next cursor of a response. No I/O; each kind's file is table-tested.
 */
import type { Row } from "../page.js";
import type { PagedSource } from "../stream-def.js";
import type { QueryValue } from "../transport.js";
import { afterPaging } from "./after-paged.js";
import { offsetPaging } from "./offset-paged.js";
import { postOffsetPaging } from "./post-offset.js";
import { singlePaging } from "./single.js";

/** Where to continue: an `after` token or a v1 offset (opaque string or number). */
export type PageCursor = string | number;

/** The paging fields one request carries. */
export interface PageParams {
  query: Record<string, QueryValue>;
  body: Record<string, unknown>;
}

export interface PageResult {
  records: Row[];
  /** Undefined: that was the last page. */
  next?: PageCursor;
}

/** One paged kind's step. */
export interface Paging {
  /** The paging fields of the request for `cursor` (undefined = the first page). */
  request(cursor: PageCursor | undefined): PageParams;
  /** The records of a response and the cursor of the page after it. */
  response(body: unknown): PageResult;
  /** Why a 2xx body cannot be read as a page (a transient MALFORMED_RESPONSE), or undefined. */
  problem(body: unknown): string | undefined;
}

/** A cursor value worth sending: a non-empty string or a finite number. */
export const presentCursor = (v: unknown): v is PageCursor =>
  (typeof v === "string" && v !== "") || (typeof v === "number" && Number.isFinite(v));

export function pagingOf(src: PagedSource): Paging {
  switch (src.kind) {
    case "after-paged":
      return afterPaging(src);
    case "offset-paged":
      return offsetPaging(src);
    case "post-offset":
      return postOffsetPaging(src);
    case "single":
      return singlePaging(src);
  }
}
