import { canonicalIsoMillis } from "../operators/filter-by-cursor.js";
import type { ColumnType } from "./sink.js";

/** Returned by a cast when the value does not fit the column type; the sink then keeps it in `_raw`. */
export const UNCASTABLE: unique symbol = Symbol("uncastable");

/**
 * Turns a non-null row value into the column's physical value, `null`, or `UNCASTABLE`.
 * Physical values: string/json → string, number → number, integer → a safe integer (number), boolean → boolean,
 * timestamp → epoch milliseconds (number), date → days since epoch (number), string[] → (string | null)[].
 */
export type Cast = (value: unknown) => unknown;

const DAY_MS = 86_400_000;
const DIGITS = /^[+-]?\d+$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// an ISO date-time without "Z" or an offset: JavaScript would read it as local time, HubSpot means UTC
const NO_ZONE = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** JSON text of any row value; a bigint (never in parsed JSON, possible from library callers) becomes its digits. */
export function toJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? "null";
  } catch {
    // a replacer slows every call down, so only the rare value that needs one gets it
    return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)) ?? "null";
  }
}

const castString: Cast = (v) => {
  switch (typeof v) {
    case "string":
      return v;
    case "number":
    case "boolean":
    case "bigint":
      return String(v);
    default:
      return v instanceof Date ? v.toISOString() : toJson(v);
  }
};

const castNumber: Cast = (v) => {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    if (v.trim() === "") return null;
    const n = Number(v);
    return Number.isNaN(n) ? UNCASTABLE : n;
  }
  // a bigint that a double cannot hold exactly would change value: keep it raw
  if (typeof v === "bigint") return BigInt(Number(v)) === v ? Number(v) : UNCASTABLE;
  return UNCASTABLE;
};

// Integers are kept only where a double holds them exactly: anything larger (already rounded if it came through
// JSON.parse as a number) goes to `_raw` as it is rather than into the column as a different number.
const safe = (n: number): number | typeof UNCASTABLE => (Number.isSafeInteger(n) ? n : UNCASTABLE);

const castInteger: Cast = (v) => {
  if (typeof v === "number") return safe(v);
  if (typeof v === "string") {
    const s = v.trim();
    if (s === "") return null;
    return DIGITS.test(s) ? safe(Number(s)) : UNCASTABLE;
  }
  if (typeof v === "bigint") return v >= -(2n ** 53n) && v <= 2n ** 53n ? safe(Number(v)) : UNCASTABLE;
  return UNCASTABLE;
};

const castBoolean: Cast = (v) => {
  if (typeof v === "boolean") return v;
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (s === "true") return true;
    if (s === "false") return false;
    if (s === "") return null;
  }
  return UNCASTABLE;
};

/** Epoch ms from an ISO string, a digit string or a number of epoch ms; `UNCASTABLE` otherwise. */
export const castTimestamp: Cast = (v) => {
  let ms: number;
  if (typeof v === "number") ms = v;
  else if (v instanceof Date) ms = v.getTime();
  else if (typeof v === "string") {
    if (v === "") return null;
    const canonical = canonicalIsoMillis(v);
    if (canonical !== undefined) return canonical;
    if (DIGITS.test(v)) ms = Number(v);
    else ms = Date.parse(NO_ZONE.test(v) ? v + "Z" : v);
  } else return UNCASTABLE;
  // sub-millisecond parts are dropped: the column is TIMESTAMP(MILLIS)
  return Number.isFinite(ms) ? Math.floor(ms) : UNCASTABLE;
};

const castDate: Cast = (v) => {
  if (typeof v === "string") {
    const m = DATE_ONLY.exec(v);
    if (m) {
      const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      return Number.isFinite(ms) ? ms / DAY_MS : UNCASTABLE;
    }
  }
  const ms = castTimestamp(v);
  if (ms === null || ms === UNCASTABLE) return ms;
  // a time of day would be silently dropped by a DATE column: keep such values raw instead
  return (ms as number) % DAY_MS === 0 ? (ms as number) / DAY_MS : UNCASTABLE;
};

const castJson: Cast = (v) => toJson(v);

const castStrings: Cast = (v) => {
  if (!Array.isArray(v)) return UNCASTABLE;
  const out: (string | null)[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (x === null || x === undefined) out[i] = null;
    else if (typeof x === "string") out[i] = x;
    else if (typeof x === "number" || typeof x === "boolean") out[i] = String(x);
    else return UNCASTABLE;
  }
  return out;
};

/** The cast for a declared or inferred column type. */
export function castFor(type: ColumnType): Cast {
  switch (type) {
    case "string":
      return castString;
    case "number":
      return castNumber;
    case "integer":
      return castInteger;
    case "boolean":
      return castBoolean;
    case "timestamp":
      return castTimestamp;
    case "date":
      return castDate;
    case "json":
      return castJson;
    case "string[]":
      return castStrings;
  }
}

/** Column type inferred from the first non-null value of an undeclared field. */
export function inferType(v: unknown): ColumnType {
  switch (typeof v) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "bigint":
      return "integer";
    default:
      return v instanceof Date ? "timestamp" : "json";
  }
}
