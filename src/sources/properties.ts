import { map, type Observable, shareReplay } from "rxjs";
import type { Transport } from "./transport.js";

/** A HubSpot property definition, as /crm/v3/properties/{objectType} returns it. */
export interface PropertyDef {
  name: string;
  type: string;
  fieldType?: string;
  calculated?: boolean;
}

/** HubSpot answers 414 near 16,300 characters; keep each request's property list well under. */
export const PROPERTY_CHARS_PER_REQUEST = 15_000;

/**
 * Split property names into chunks whose comma-joined, URL-encoded form stays within `maxChars`,
 * so a list request never exceeds HubSpot's URL limit. Order is kept; every name lands in one chunk.
 */
export function chunkProperties(names: readonly string[], maxChars = PROPERTY_CHARS_PER_REQUEST): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const name of names) {
    const cost = encodeURIComponent(name).length + (current.length ? 3 : 0); // "%2C" between names
    if (current.length && length + cost > maxChars) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    length += current.length ? cost : encodeURIComponent(name).length;
    current.push(name);
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** Fetches each object type's property definitions once per run. */
export class PropertyCatalog {
  private readonly cache = new Map<string, Observable<PropertyDef[]>>();

  constructor(private readonly transport: Transport) {}

  of(objectType: string): Observable<PropertyDef[]> {
    let cached = this.cache.get(objectType);
    if (!cached) {
      cached = this.transport
        .request<{ results?: PropertyDef[] }>({
          method: "GET",
          path: `/crm/v3/properties/${encodeURIComponent(objectType)}`,
          budget: "standard",
        })
        .pipe(
          map((res) => (res.body?.results ?? []).filter((p) => typeof p?.name === "string")),
          shareReplay(1),
        );
      this.cache.set(objectType, cached);
    }
    return cached;
  }
}
