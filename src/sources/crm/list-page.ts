/**
 * One page of a CRM object's list endpoint with every property: the property list split into URL-safe chunks
 * (HubSpot answers 414 past ~16,300 characters), one request per chunk with the same cursor, merged by id.
 */
import { forkJoin, map, type Observable } from "rxjs";
import type { Row } from "../page.js";
import type { RequestSpec, Transport } from "../transport.js";

export const LIST_PAGE_SIZE = 100;

export interface ListBody {
  results?: Row[];
  paging?: { next?: { after?: string } };
}

/** The request of one chunk of one list page (pure). */
export function listRequest(
  objectType: string,
  after: string | undefined,
  chunk: readonly string[],
  archived: boolean,
): RequestSpec {
  return {
    method: "GET",
    path: `/crm/v3/objects/${objectType}`,
    query: {
      limit: LIST_PAGE_SIZE,
      after,
      archived: archived ? "true" : "false",
      properties: chunk.length ? chunk : undefined,
    },
    budget: "standard",
    validate: resultsArray,
  };
}

/** A list or search body must carry its records as an array: anything else is a malformed answer, retried. */
export function resultsArray(body: unknown): string | undefined {
  if (body === null || typeof body !== "object") return "the body is not a JSON object";
  const results = (body as { results?: unknown }).results;
  if (!Array.isArray(results)) return results === undefined ? "`results` is missing" : "`results` is not an array";
  return undefined;
}

/** The records of one page from its chunk responses: the first chunk's records with every chunk's properties (pure). */
export function mergeChunks(bodies: readonly ListBody[]): { records: Row[]; after?: string } {
  const [first, ...rest] = bodies;
  const records = first?.results ?? [];
  if (rest.length) {
    const byId = new Map(records.map((r) => [String(r.id), r]));
    for (const body of rest) {
      for (const r of body.results ?? []) {
        const target = byId.get(String(r.id));
        if (target) target.properties = { ...(target.properties as object), ...(r.properties as object) };
      }
    }
  }
  const after = first?.paging?.next?.after;
  return { records, after: typeof after === "string" && after !== "" ? after : undefined };
}

/** Fetches one list page (every chunk) and merges it. */
export function fetchListPage(
  transport: Transport,
  objectType: string,
  chunks: readonly (readonly string[])[],
  after: string | undefined,
  archived = false,
): Observable<{ records: Row[]; after?: string }> {
  const parts = chunks.length ? chunks : [[]];
  return forkJoin(
    parts.map((chunk) => transport.request<ListBody>(listRequest(objectType, after, chunk, archived))),
  ).pipe(map((responses) => mergeChunks(responses.map((r) => r.body ?? {}))));
}
