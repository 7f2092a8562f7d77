/** The `after-paged` kind (v3 lists, owners, forms, users, events, memberships): pure step. */
import type { AfterPagedSource } from "../stream-def.js";
import { type Paging, presentCursor } from "./paging.js";
import { extractRecords, recordsProblem, valueAt } from "./records.js";

/**
 * `after` in the query, the next token at `paging.next.after`; a page without `paging.next` is the last.
 *
 * @example
 * afterPaging({ kind: "after-paged", path: "/x", recordsPath: "results", limit: 100 })
 *   .response({ results: [], paging: { next: { after: "200" } } }); // { records: [], next: "200" }
 */
export function afterPaging(src: AfterPagedSource): Paging {
  return {
    request: (cursor) => ({
      query: { limit: src.limit, after: cursor === undefined ? undefined : String(cursor) },
      body: {},
    }),
    response: (body) => {
      const next = valueAt(body, "paging.next.after");
      return { records: extractRecords(body, src.recordsPath), next: presentCursor(next) ? next : undefined };
    },
    problem: (body) => {
      const next = valueAt(body, "paging.next");
      // A next page announced without a token to reach it would silently end the stream.
      if (next !== undefined && next !== null && !presentCursor(valueAt(next, "after"))) {
        return "paging.next has no after token";
      }
      return recordsProblem(body, src.recordsPath);
    },
  };
}
