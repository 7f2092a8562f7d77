/** The `offset-paged` kind (v1 engagements, campaigns, email events, subscription timeline): pure step. */
import type { OffsetPagedSource } from "../stream-def.js";
import { type Paging, presentCursor } from "./paging.js";
import { extractRecords, recordsProblem, valueAt } from "./records.js";

/**
 * `offset` in the query taken from the body's `offset`; the last page says `hasMore` (or `has-more`) false.
 *
 * @example
 * offsetPaging({ kind: "offset-paged", path: "/x", recordsPath: "results", limit: 250, limitParam: "limit", hasMore: "hasMore" })
 *   .request(500); // { query: { limit: 250, offset: "500" }, body: {} }
 */
export function offsetPaging(src: OffsetPagedSource): Paging {
  return {
    request: (cursor) => ({
      query: { [src.limitParam]: src.limit, offset: cursor === undefined ? undefined : String(cursor) },
      body: {},
    }),
    response: (body) => {
      const next = valueAt(body, "offset");
      const more = valueAt(body, src.hasMore) === true && presentCursor(next);
      return { records: extractRecords(body, src.recordsPath), next: more ? next : undefined };
    },
    problem: (body) => {
      if (valueAt(body, src.hasMore) === true && !presentCursor(valueAt(body, "offset"))) {
        return `${src.hasMore} is true but the response has no offset`;
      }
      return recordsProblem(body, src.recordsPath);
    },
  };
}
