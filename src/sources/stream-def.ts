import type { ChildSpec } from "../operators/split-children.js";

export type SyncMode = "full_refresh" | "incremental";

/** A HubSpot CRM object read through the v3 object APIs (list, search, batch read, v4 associations). */
export interface CrmObjectSource {
  kind: "crm-object";
  /** Path segment of /crm/v3/objects/{objectType} and /crm/v3/properties/{objectType}. */
  objectType: string;
  /** Property whose value is the record's last-modified time, used by search (server-side incremental). */
  modifiedProperty: string;
  /** Read archived records (list endpoint with archived=true); never searchable. */
  archived?: boolean;
  /** Object types whose associated ids are attached to each record, as arrays named after the type. */
  associations?: string[];
}

/** How a plain endpoint pages. */
export type Paginator =
  /** v3 style: `after` query param, next cursor at `paging.next.after`, stop when `paging` is absent. */
  | { kind: "after"; limit: number }
  /** One response holds everything. */
  | { kind: "single" };

/** Any other endpoint: GET, records at `recordsPath` of the JSON body. */
export interface EndpointSource {
  kind: "endpoint";
  path: string;
  query?: Record<string, string>;
  /** Dotted path to the record array in the response body; "" when the body is the array. */
  recordsPath: string;
  paginator: Paginator;
  /** Fan out over several paths (e.g. properties of every object type), tagging each record. */
  fanOut?: { values: readonly string[]; param: string; as: string; ignoreForbidden?: boolean };
}

/** One stream of the table: data, not behaviour. */
export interface StreamDef {
  name: string;
  source: CrmObjectSource | EndpointSource;
  primaryKey: string[][];
  /** Record field that orders changes; absent for full-refresh-only streams. */
  cursorField?: string;
  /** Server-side incremental (search) or client-side filtering of a full read. */
  incremental?: "server" | "client";
  /** Every one of these scopes is needed to read the stream. */
  scopes: string[];
  /** Copy `properties.X` to top-level `properties_X`. */
  unnest?: boolean;
  /** Derive a missing cursor value from other fields, in order (e.g. createdAt). */
  cursorFallback?: string[];
  /** Fields copied to new names on each record (e.g. pipelines' `pipelineId`). */
  aliases?: Record<string, string>;
  children?: ChildSpec[];
  experimental?: boolean;
}

export function syncModesOf(def: StreamDef): SyncMode[] {
  return def.cursorField && def.incremental ? ["full_refresh", "incremental"] : ["full_refresh"];
}
