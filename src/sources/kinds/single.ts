/** The `single` kind (properties, pipelines, workflows, account details): pure step. */
import type { SingleSource } from "../stream-def.js";
import type { Paging } from "./paging.js";
import { extractRecords, recordsProblem } from "./records.js";

/**
 * One response holds every record; paging fields in it, if any, are ignored.
 *
 * @example
 * singlePaging({ kind: "single", path: "/x", recordsPath: "" }).response({ portalId: 7 }); // { records: [{ portalId: 7 }] }
 */
export function singlePaging(src: SingleSource): Paging {
  return {
    request: () => ({ query: {}, body: {} }),
    response: (body) => ({ records: extractRecords(body, src.recordsPath) }),
    problem: (body) => recordsProblem(body, src.recordsPath),
  };
}
