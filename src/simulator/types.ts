/**
 * The contract between the simulator's server (auth, limits, faults, stats, routing) and its route
 * modules. A route is a pure function of the request and the portal; the server does everything else.
 */

/** A CRM object as the portal stores it; property values are strings (or null), as HubSpot v3 sends them. */
export interface SimObject {
  id: string;
  objectType: string; // canonical plural name: "contacts", "companies", "calls", "p_cars" ...
  properties: Record<string, string | null>;
  createdAt: number; // epoch ms
  updatedAt: number; // epoch ms
  archived: boolean;
  archivedAt?: number;
}

/** Read access to the seeded, deterministic portal (records derived from (seed, id), mutations layered on top). */
export interface PortalView {
  readonly seed: number;
  readonly portalId: number;
  /** The simulated clock, epoch ms. */
  now(): number;
  /** Number of records of a type (live or archived). */
  count(objectType: string, archived?: boolean): number;
  /** The i-th record id of a type in id order (0-based), for derived data such as engagements' associations. */
  idAt(objectType: string, index: number, archived?: boolean): string | undefined;
  /** One record, or undefined if it does not exist (archived ones only with archived=true). */
  get(objectType: string, id: string, archived?: boolean): SimObject | undefined;
  /** Ids of the records of `toType` associated with a record. */
  associations(fromType: string, id: string, toType: string): string[];
  /** Owner ids (active), for ownerId fields. */
  ownerIds(): string[];
  /** A deterministic pseudo-random number in [0, 1) for the given keys (same seed and keys → same number). */
  random(...keys: (string | number)[]): number;
  /** Owners (active, or archived with archived=true), as GET /crm/v3/owners lists them. */
  ownerList?(archived?: boolean): SimOwner[];
  /** Canonical names of the CRM object types the portal holds. */
  objectTypeNames?(): string[];
}

/** An owner; its userId doubles as the id of the matching user (settings/v3/users). */
export interface SimOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  teams: { id: string; name: string; primary: boolean }[];
}

export interface SimRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path without query string and without a trailing slash. */
  path: string;
  /** Values captured by `:name` segments of the route pattern. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (or form fields as an object for form-encoded bodies); undefined when none. */
  body: unknown;
  /** Scopes granted to the caller's token. */
  scopes: ReadonlySet<string>;
  /** The raw bearer token (for token-info style endpoints), undefined when none. */
  token?: string;
}

export interface SimResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Pre-encoded JSON body; when set it is sent as is and `body` is ignored (hot paths build JSON by hand). */
  raw?: string;
  /** Pre-encoded JSON body as bytes (wins over `raw` and `body`). */
  rawBytes?: Buffer;
}

/** Which rate-limit budget a route draws from, as HubSpot meters it. */
export type LimitClass = "standard" | "search" | "exempt";

export interface SimRoute {
  method: SimRequest["method"];
  /** Path pattern with `:name` segments, e.g. "/engagements/v1/engagements/paged". */
  pattern: string;
  /** Any one of these scopes grants access; [] means no scope needed. */
  scopes: string[];
  /** Default "standard". */
  limit?: LimitClass;
  /** Default true; token-info and OAuth routes set false. */
  auth?: boolean;
  handle(req: SimRequest, portal: PortalView): SimResult;
}
