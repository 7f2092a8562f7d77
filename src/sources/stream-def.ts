import type { ChildSpec } from "../operators/split-children.js";
import type { QueryValue } from "./transport.js";

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

/** How a plain endpoint pages (pure cores in paginators.ts). */
export type Paginator =
  /** v3 style: `after` query param, next cursor at `paging.next.after`, stop when `paging` is absent. */
  | { kind: "after"; limit: number }
  /** One response holds everything. */
  | { kind: "single" }
  /**
   * v1 style: `offset` query param taken from the body's `offset`, stop when the body's `hasMore` (or
   * `has-more`) is false; the page size goes in `limitParam` (`limit` or `count`).
   */
  | { kind: "offset"; limit: number; limitParam: "limit" | "count"; hasMore: "hasMore" | "has-more" }
  /** Body paging of POST searches (`/crm/v3/lists/search`): `{count, offset}` in the body, `offset`/`hasMore` back. */
  | { kind: "post-offset"; count: number };

/** Ids of another endpoint's records, each opening one read of the child path. */
export interface ParentSpec {
  source: EndpointSource;
  /** Field of the parent record holding the id. */
  idField: string;
  /** `{param}` placeholder in the child path, or a query parameter when the path has none. */
  param: string;
  /** Field set on every child record to the parent id (e.g. `listId`, `formId`); omitted when undefined. */
  as?: string;
  /** Child errors that mean "nothing here" for this parent (e.g. 400 ListError.INVALID_OBJECT_TYPE_FOR_LIST). */
  ignore?: { status: number; subCategory?: string }[];
  /** Read each id once even if the parent listing repeats it (forms, as the reference does). */
  dedupe?: boolean;
}

/** Server-side time filtering with inclusive [start, end] windows; state is kept as the next window's start. */
export interface TimeWindowSpec {
  startParam: string;
  endParam: string;
  /** How the bounds are written on the wire. */
  format: "ms" | "iso";
  /** Window length; undefined = one window from the cursor to the start of the run. */
  stepMs?: number;
}

/**
 * The v1 engagements "recent" endpoint: used instead of `path` when the saved cursor is younger than
 * `maxAgeMs` and a probe says at most `maxRecords` changed since (HubSpot caps that endpoint there).
 */
export interface RecentSpec {
  path: string;
  paginator: Paginator;
  sinceParam: string;
  maxAgeMs: number;
  maxRecords: number;
}

/** Any other endpoint: GET (or POST with body paging), records at `recordsPath` of the JSON body. */
export interface EndpointSource {
  kind: "endpoint";
  method?: "GET" | "POST";
  path: string;
  query?: Record<string, QueryValue>;
  /** JSON body of a POST endpoint (paging fields are added by the paginator). */
  body?: Record<string, unknown>;
  /** Dotted path to the record array in the response body; "" when the body is the array (or the one record). */
  recordsPath: string;
  paginator: Paginator;
  /** Fan out over several paths (e.g. properties of every object type), tagging each record. */
  fanOut?: { values: readonly string[]; param: string; as: string; ignoreForbidden?: boolean };
  /** One read per record of another endpoint (list memberships per list, submissions per form). */
  parent?: ParentSpec;
  /** One GET per record whose body is merged into it, `concurrency` at a time (campaign details). */
  detail?: { path: string; idField: string; param: string; concurrency: number };
  /**
   * Every property name of `objectType`, split into URL-safe chunks sent as `param`; each page is requested
   * once per chunk (same cursor) and the records of all chunks are concatenated.
   */
  propertyChunks?: { objectType: string; param: string };
  /** Server-side incremental by time windows (email events, subscription changes, web analytics). */
  timeWindow?: TimeWindowSpec;
  /** Server-side lower bound from the saved cursor, inclusive (marketing emails' `updatedAfter`). */
  sinceParam?: { param: string; format: "ms" | "iso" };
  recent?: RecentSpec;
  /** Read instead when this endpoint answers 404 before its first page (an older or newer API version). */
  fallback?: EndpointSource;
}

/** A pure per-page record transform (transforms.ts), applied by the reader before aliases and fallbacks. */
export type RecordTransform =
  /** v1 engagement: `engagement.*` lifted to the root, `associations_<k>` and `metadata_<k>` copies. */
  | { kind: "engagement" }
  /** Copies `field.k` to top-level `<prefix>k` (default prefix `<field>_`); `remove` drops the original. */
  | { kind: "flatten"; field: string; prefix?: string; remove?: boolean }
  /** One row per property version of `propertiesWithHistory`, keyed by the record id as `idAs`. */
  | { kind: "property-history"; idAs: string; style: "v3" | "contacts"; skip: string[] };

/** One stream of the table: data, not behaviour. */
export interface StreamDef {
  name: string;
  source: CrmObjectSource | EndpointSource;
  /** Empty only where HubSpot's records have no identity (subscription_changes), as in the reference. */
  primaryKey: string[][];
  /** Record field that orders changes; absent for full-refresh-only streams. */
  cursorField?: string;
  /** Server-side incremental (search, time windows, since filters) or client-side filtering of a full read. */
  incremental?: "server" | "client";
  /** Every one of these scopes is needed to read the stream. */
  scopes: string[];
  /** Copy `properties.X` to top-level `properties_X`. */
  unnest?: boolean;
  /** Derive a missing cursor value from other fields, in order (e.g. createdAt). */
  cursorFallback?: string[];
  /** Fields copied to new names on each record (e.g. pipelines' `pipelineId`). */
  aliases?: Record<string, string>;
  transforms?: RecordTransform[];
  children?: ChildSpec[];
  experimental?: boolean;
}

export function syncModesOf(def: StreamDef): SyncMode[] {
  return def.cursorField && def.incremental ? ["full_refresh", "incremental"] : ["full_refresh"];
}
