/** The `post-offset` kind (`POST /crm/v3/lists/search`): pure step. */
import type { PostOffsetSource } from "../stream-def.js";
import { type Paging, presentCursor } from "./paging.js";
import { extractRecords, recordsProblem, valueAt } from "./records.js";

/**
 * `{count, offset}` in the JSON body, the next offset and `hasMore` in the response.
 *
 * @example
 * postOffsetPaging({ kind: "post-offset", method: "POST", path: "/x", recordsPath: "lists", count: 500 })
 *   .request(undefined); // { query: {}, body: { count: 500, offset: 0 } }
 */
export function postOffsetPaging(src: PostOffsetSource): Paging {
  return {
    request: (cursor) => ({ query: {}, body: { count: src.count, offset: cursor ?? 0 } }),
    response: (body) => {
      const next = valueAt(body, "offset");
      const more = valueAt(body, "hasMore") === true && presentCursor(next);
      return { records: extractRecords(body, src.recordsPath), next: more ? next : undefined };
    },
    problem: (body) => {
      if (valueAt(body, "hasMore") === true && !presentCursor(valueAt(body, "offset"))) {
        return "hasMore is true but the response has no offset";
      }
      return recordsProblem(body, src.recordsPath);
    },
  };
}
