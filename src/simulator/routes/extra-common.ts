/**
 * Helpers shared by the non-CRM route modules: query parsing, HubSpot error bodies, deterministic ids
 * and opaque cursors. Everything here is a pure function of its arguments and the portal's seed.
 */
import type { PortalView, SimRequest, SimResult } from "../types.js";

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/**
 * Reads an integer query parameter, falling back to `def` when absent or unparsable and clamping to
 * [min, max] — HubSpot's legacy APIs accept oversized page sizes and silently serve the maximum.
 */
export function intParam(query: URLSearchParams, name: string, def: number, max: number, min = 1): number {
  const raw = query.get(name);
  const n = raw === null || raw.trim() === "" ? Number.NaN : Number(raw);
  if (!Number.isFinite(n)) return def;
  return Math.min(max, Math.max(min, Math.trunc(n)));
}

/** A timestamp query parameter given as epoch ms or ISO-8601; undefined when absent or unparsable. */
export function timeParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw.trim() === "") return undefined;
  const ms = /^-?\d+$/.test(raw.trim()) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A multi-valued parameter: clients send `a=x&a=y`, `a[]=x` and `a=x,y`; all are accepted. */
export function listParam(query: URLSearchParams, name: string): string[] {
  const raw = [...query.getAll(name), ...query.getAll(`${name}[]`)];
  return raw
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

/** A property value parsed as epoch ms (v3 stores datetimes as ISO strings, some as ms strings). */
export function msOf(value: string | null | undefined, fallback: number): number {
  if (value === null || value === undefined || value === "") return fallback;
  const ms = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? Math.trunc(ms) : fallback;
}

/** ISO-8601 with millis, as v3 APIs print timestamps. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A deterministic v4-shaped UUID for the given keys. */
export function uuidOf(portal: PortalView, ...keys: (string | number)[]): string {
  let hex = "";
  for (let i = 0; i < 4; i++) {
    hex += Math.floor(portal.random("uuid", ...keys, i) * 0x1_0000_0000)
      .toString(16)
      .padStart(8, "0");
  }
  const variant = ((Number.parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A deterministic integer in [lo, hi] for the given keys. */
export function intOf(portal: PortalView, lo: number, hi: number, ...keys: (string | number)[]): number {
  return lo + Math.floor(portal.random(...keys) * (hi - lo + 1));
}

/** Picks one element deterministically. */
export function pick<T>(portal: PortalView, items: readonly T[], ...keys: (string | number)[]): T {
  return items[Math.floor(portal.random(...keys) * items.length)] as T;
}

type ErrorCategory = "VALIDATION_ERROR" | "OBJECT_NOT_FOUND";

/**
 * A HubSpot error response. The correlation id is derived from the request so identical requests get
 * identical bodies (determinism), while different requests get different ids.
 */
export function errorResult(
  req: SimRequest,
  portal: PortalView,
  status: 400 | 404,
  category: ErrorCategory,
  message: string,
): SimResult {
  const correlationId = uuidOf(portal, "correlation", req.method, req.path, req.query.toString());
  const headers: Record<string, string> = { "X-HubSpot-Correlation-Id": correlationId };
  // v1 endpoints mark misses with this header (observed on real api.hubapi.com captures).
  if (status === 404) headers["X-HubSpot-NotFound"] = "true";
  return { status, headers, body: { status: "error", message, correlationId, category } };
}

/** FNV-1a over a string, as a short base-36 tag; used to bind cursors to the query that produced them. */
export function hashTag(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/** The query without the paging parameters, in a canonical order, so cursors can be bound to it. */
export function queryFingerprint(query: URLSearchParams, ignore: readonly string[] = ["offset", "limit"]): string {
  const entries = [...query.entries()].filter(([k]) => !ignore.includes(k));
  entries.sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a.localeCompare(b)));
  return hashTag(JSON.stringify(entries));
}

/** Encodes a position as an opaque, URL-safe cursor bound to a query fingerprint. */
export function encodeCursor(position: number, fingerprint: string): string {
  return Buffer.from(`${fingerprint}.${position.toString(36)}`, "utf8").toString("base64url");
}

/**
 * Decodes a cursor made by {@link encodeCursor}; undefined when it is malformed or was issued for
 * a different query (HubSpot's legacy offsets are only valid with identical other parameters).
 */
export function decodeCursor(cursor: string, fingerprint: string): number | undefined {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const dot = text.lastIndexOf(".");
  if (dot < 0 || text.slice(0, dot) !== fingerprint) return undefined;
  const digits = text.slice(dot + 1);
  if (!/^[0-9a-z]+$/.test(digits)) return undefined;
  const n = Number.parseInt(digits, 36);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Numeric value of a record id, for v1 APIs that send ids as numbers. */
export function numId(id: string): number {
  const n = Number(id);
  return Number.isFinite(n) ? n : 0;
}
