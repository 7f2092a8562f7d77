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

/** A refusal that means "nothing here" for one read, by HTTP status and HubSpot's `subCategory`. */
export interface IgnoreRule {
  status: number;
  subCategory?: string;
}

/**
 * What one read does when HubSpot refuses it; anything not named here fails the stream. Applied to every read of
 * the source it sits on: each fan-out value, each parent's child read, or the stream itself.
 */
export interface ErrorPolicy {
  /** 404: skip this read with a warning, or read `fallback` instead (before the first page only). */
  notFound?: "skip" | { fallback: EndpointSource };
  /** 403: skip this read with a warning. */
  forbidden?: "skip";
  /** Other refusals that mean "nothing to read here" (skipped with a warning). */
  ignore?: readonly IgnoreRule[];
}

/** Server-side lower bound from the saved cursor (start_date without one). */
export interface SinceSpec {
  param: string;
  format: "ms" | "iso";
  /** The endpoint returns records strictly after the bound, so the cursor's own millisecond is asked as bound − 1. */
  exclusive?: boolean;
}

/** One GET per record whose body is merged into it (campaign details). */
export interface DetailSpec {
  path: string;
  idField: string;
  /** `{param}` placeholder of `path` filled with the record's `idField`. */
  param: string;
  concurrency: number;
}

/** The request template shared by every paged kind: where the endpoint lives and where its records are. */
interface Endpoint {
  path: string;
  query?: Record<string, QueryValue>;
  /** Dotted path to the record array in the response body; "" when the body is the array (or the one record). */
  recordsPath: string;
  /**
   * Every property name of `objectType`, split into URL-safe chunks sent as `param`; each page is requested
   * once per chunk (same cursor) and the records of all chunks are concatenated.
   */
  propertyChunks?: { objectType: string; param: string };
  detail?: DetailSpec;
  since?: SinceSpec;
  errors?: ErrorPolicy;
}

/** v3 style: `after` query param, next cursor at `paging.next.after`, the last page has no `paging.next`. */
export interface AfterPagedSource extends Endpoint {
  kind: "after-paged";
  method?: "GET";
  limit: number;
}

/**
 * v1 style: `offset` query param taken from the body's `offset`, the last page says `hasMore` (or `has-more`)
 * false; the page size goes in `limitParam` (`limit` or `count`).
 */
export interface OffsetPagedSource extends Endpoint {
  kind: "offset-paged";
  method?: "GET";
  limit: number;
  limitParam: "limit" | "count";
  hasMore: "hasMore" | "has-more";
}

/** Body paging of POST searches (`/crm/v3/lists/search`): `{count, offset}` in the body, `offset`/`hasMore` back. */
export interface PostOffsetSource extends Endpoint {
  kind: "post-offset";
  method: "POST";
  /** JSON body; the paging fields are added per page. */
  body?: Record<string, unknown>;
  count: number;
}

/** One response holds everything. */
export interface SingleSource extends Endpoint {
  kind: "single";
  method?: "GET";
}

/** The kinds that read one endpoint page by page (pure steps in kinds/). */
export type PagedSource = AfterPagedSource | OffsetPagedSource | PostOffsetSource | SingleSource;

/** A paged source whose lower bound comes from elsewhere (a window, or nowhere), never from the saved cursor. */
export type UnboundedSource = PagedSource & { since?: never };

/** A listing read only for its ids (the parent of a per-parent read): no cursor bound, no detail calls. */
export type ParentSource = UnboundedSource & { detail?: never };

/**
 * Server-side incremental by inclusive time windows (email events, subscription changes); the state is the next
 * window's start, checkpointed after each window.
 */
export interface TimeWindowsSource {
  kind: "time-windows";
  startParam: string;
  endParam: string;
  /** How the bounds are written on the wire. */
  format: "ms" | "iso";
  /** Window length; undefined = one window from the cursor to the start of the run. */
  stepMs?: number;
  inner: UnboundedSource;
}

/**
 * One read of `child` per record of `parent` (list memberships per list, submissions per form, web analytics per
 * CRM record). A windowed child keeps one cursor per parent: the newest record seen for it.
 */
export interface PerParentSource {
  kind: "per-parent";
  parent: ParentSource;
  /** Field of the parent record holding the id. */
  idField: string;
  /** `{param}` placeholder in the child path, or a query parameter when the path has none. */
  param: string;
  /** Field set on every child record to the parent id (e.g. `listId`, `formId`); omitted when undefined. */
  as?: string;
  /** Read each id once even if the parent listing repeats it (forms, as the reference does). */
  dedupe?: boolean;
  child: UnboundedSource | TimeWindowsSource;
}

/** The same endpoint read once per value (properties of every object type), each record tagged with its value. */
export interface FanOutSource {
  kind: "fan-out";
  values: readonly string[];
  /** `{param}` placeholder in the path, or a query parameter when the path has none. */
  param: string;
  as: string;
  inner: UnboundedSource;
}

/**
 * The v1 engagements pair: `recent` (filtered by the saved cursor) when the cursor is younger than `maxAgeMs` and a
 * probe counts fewer than `maxRecords` changes, else `all`. HubSpot's recent endpoint stops silently at
 * `maxRecords`, and its `total` may be capped there too, so a recent read that returns `maxRecords` records is not
 * trusted: `all` is read after it.
 */
export interface RecentOrAllSource {
  kind: "recent-or-all";
  recent: (AfterPagedSource | OffsetPagedSource) & { since: SinceSpec };
  all: UnboundedSource;
  maxAgeMs: number;
  maxRecords: number;
}

/** Every non-CRM source: a paged endpoint, or a composition wrapping paged endpoints. */
export type EndpointSource = PagedSource | TimeWindowsSource | PerParentSource | FanOutSource | RecentOrAllSource;

export type Source = CrmObjectSource | EndpointSource;

/** HubSpot's `hs_v2_*` name prefix and the legacy name it replaced (`{}` stands for the rest of the name). */
export interface LegacyName {
  prefix: string;
  legacy: string;
}

/** A pure per-page record transform (transforms.ts), applied by the reader before aliases and fallbacks. */
export type RecordTransform =
  /** v1 engagement: `engagement.*` lifted to the root, `associations_<k>` and `metadata_<k>` copies. */
  | { kind: "engagement" }
  /** Copies `field.k` to top-level `<prefix>k` (default prefix `<field>_`); `remove` drops the original. */
  | { kind: "flatten"; field: string; prefix?: string; remove?: boolean }
  /** One row per property version of `propertiesWithHistory`, keyed by the record id as `idAs`. */
  | { kind: "property-history"; idAs: string; style: "v3" | "contacts"; skip: string[] }
  /** Copies renamed properties back to their legacy names in `properties` (the schema gets them too). */
  | { kind: "legacy-names"; names: readonly LegacyName[] };

/** One stream of the table: data, not behaviour. */
export interface StreamDef {
  name: string;
  source: Source;
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
