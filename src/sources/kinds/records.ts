/**
 * Pure cores shared by every paged kind: finding the record array of a response body, and saying what is wrong
 * with a body that has none (the transport retries such a 2xx as a transient MALFORMED_RESPONSE).
 */
import type { Row } from "../page.js";

/** Value at a dotted path of a JSON body ("" = the body itself). */
export function valueAt(body: unknown, path: string): unknown {
  if (!path) return body;
  let v: unknown = body;
  for (const key of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

const isRecord = (v: unknown): v is Row => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The records of a response: the array at `path`; when `path` is "" and the body is one object (e.g.
 * `/account-info/v3/details`), that object is the one record. Non-objects inside the array are dropped.
 *
 * @example
 * extractRecords({ results: [{ id: 1 }] }, "results"); // [{ id: 1 }]
 */
export function extractRecords(body: unknown, path: string): Row[] {
  const found = valueAt(body, path);
  if (Array.isArray(found)) return found.filter(isRecord);
  if (path === "" && isRecord(found)) return [found];
  return [];
}

/**
 * Why a 2xx body holds no record list where the stream expects one, or undefined when it does. A body without
 * its records must never pass for an empty last page: that would end the stream early, successfully.
 *
 * @example
 * recordsProblem({ status: "ok" }, "results"); // 'no "results" array in the response'
 */
export function recordsProblem(body: unknown, path: string): string | undefined {
  const found = valueAt(body, path);
  if (Array.isArray(found)) return undefined;
  if (path === "") return isRecord(found) ? undefined : "the response body is neither a record nor a list";
  if (found === undefined) return `no "${path}" array in the response`;
  return `"${path}" in the response is not an array`;
}
