/**
 * Search filter semantics: numeric properties compare as numbers (hs_object_id too), datetimes as epoch
 * ms (filter values as epoch ms or ISO), strings case-insensitively, enumerations case-sensitively.
 */
import type { PropSpec } from "./data/property-specs.js";

export interface Filter {
  propertyName: string;
  operator: string;
  value?: unknown;
  values?: unknown[];
  highValue?: unknown;
}

export const OPERATORS = new Set([
  "EQ",
  "NEQ",
  "LT",
  "LTE",
  "GT",
  "GTE",
  "BETWEEN",
  "IN",
  "NOT_IN",
  "HAS_PROPERTY",
  "NOT_HAS_PROPERTY",
  "CONTAINS_TOKEN",
  "NOT_CONTAINS_TOKEN",
]);

/** Epoch ms from a filter value: integer (string or number) = epoch ms, otherwise ISO date/datetime. */
export function toEpoch(v: unknown): number {
  if (typeof v === "number") return v;
  const s = String(v ?? "").trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return Date.parse(s);
}

type Kind = "number" | "time" | "text" | "enum";
function kindOf(spec: PropSpec): Kind {
  if (spec.type === "number") return "number";
  if (spec.type === "datetime" || spec.type === "date") return "time";
  if (spec.type === "enumeration" || spec.type === "bool") return "enum";
  return "text";
}

/** Compiled filter: a predicate over one property value. */
export type Pred = (v: string | null) => boolean;

export function compileFilter(f: Filter, spec: PropSpec): Pred {
  const kind = kindOf(spec);
  const norm = (x: unknown): number | string => {
    if (kind === "number") return Number(x);
    if (kind === "time") return toEpoch(x);
    if (kind === "text") return String(x ?? "").toLowerCase();
    return String(x ?? "");
  };
  const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  const has = (v: string | null): v is string => v !== null && v !== "";
  const val = norm(f.value);
  const hi = norm(f.highValue);
  const nanGuard = (x: number | string) => typeof x === "number" && Number.isNaN(x);
  const rel = (test: (c: number) => boolean): Pred => {
    if (nanGuard(val)) return () => false;
    return (v) => has(v) && !nanGuard(norm(v)) && test(cmp(norm(v), val));
  };
  // IN takes values as given: HubSpot lower-cases stored strings, so upper-case IN values never match.
  const set = new Set(
    (f.values ?? []).map((x) => (kind === "number" || kind === "time" ? String(norm(x)) : String(x))),
  );
  const inSet = (v: string | null) => has(v) && set.has(String(norm(v)));
  switch (f.operator) {
    case "EQ":
      return rel((c) => c === 0);
    case "NEQ": {
      const eq = rel((c) => c === 0);
      return (v) => !eq(v);
    }
    case "LT":
      return rel((c) => c < 0);
    case "LTE":
      return rel((c) => c <= 0);
    case "GT":
      return rel((c) => c > 0);
    case "GTE":
      return rel((c) => c >= 0);
    case "BETWEEN":
      return (v) => has(v) && cmp(norm(v), val) >= 0 && cmp(norm(v), hi) <= 0;
    case "IN":
      return inSet;
    case "NOT_IN":
      return (v) => !inSet(v);
    case "HAS_PROPERTY":
      return has;
    case "NOT_HAS_PROPERTY":
      return (v) => !has(v);
    case "CONTAINS_TOKEN":
    case "NOT_CONTAINS_TOKEN": {
      const pattern = String(f.value ?? "").toLowerCase();
      const re = new RegExp("^" + pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*") + "$");
      const contains = (v: string | null) =>
        has(v) &&
        v
          .toLowerCase()
          .split(/[^\p{L}\p{N}@._*-]+/u)
          .some((t) => re.test(t));
      return f.operator === "CONTAINS_TOKEN" ? contains : (v) => !contains(v);
    }
    default:
      return () => false;
  }
}

/** The [lo, hi] range (inclusive, integers) a range filter on a numeric/time property implies, if any. */
export function rangeOf(f: Filter, asTime: boolean): [number, number] | undefined {
  const n = (x: unknown) => (asTime ? toEpoch(x) : Number(x));
  const v = n(f.value);
  switch (f.operator) {
    case "EQ":
      return Number.isNaN(v) ? undefined : [Math.ceil(v), Math.floor(v)];
    case "GT":
      return Number.isNaN(v) ? undefined : [Math.floor(v) + 1, Number.POSITIVE_INFINITY];
    case "GTE":
      return Number.isNaN(v) ? undefined : [Math.ceil(v), Number.POSITIVE_INFINITY];
    case "LT":
      return Number.isNaN(v) ? undefined : [Number.NEGATIVE_INFINITY, Math.ceil(v) - 1];
    case "LTE":
      return Number.isNaN(v) ? undefined : [Number.NEGATIVE_INFINITY, Math.floor(v)];
    case "BETWEEN": {
      const h = n(f.highValue);
      return Number.isNaN(v) || Number.isNaN(h) ? undefined : [Math.ceil(v), Math.floor(h)];
    }
    default:
      return undefined;
  }
}
