import { type MonoTypeOperatorFunction, map } from "rxjs";
import type { Page, Row } from "../sources/page.js";
import { type CursorField, type RowAccessor, toAccessor } from "./path.js";

const NUMERIC = /^[+-]?\d+(\.\d+)?$/;
// Dates must look like ISO 8601: Date.parse alone also accepts "March 7" or "1/2/3" in local time.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i;
const HAS_ZONE = /(Z|[+-]\d{2}(:?\d{2})?)$/i;

/**
 * Reads a cursor value as epoch milliseconds, or `undefined` when it is missing or unparsable.
 *
 * Accepts epoch-ms numbers and numeric strings ("1705521304281"), ISO dates ("2024-01-17", UTC midnight) and ISO
 * date-times with any number of fraction digits; a date-time without an offset is read as UTC, never local time.
 *
 * @example
 * cursorMillis("2024-01-17T19:55:04.281Z"); // 1705521304281
 */
export function cursorMillis(value: unknown): number | undefined {
  if (typeof value === "string") {
    const fast = canonicalIsoMillis(value);
    if (fast !== undefined) return fast;
  }
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (NUMERIC.test(text)) return Number(text);
  if (ISO_DATE.test(text)) return finite(Date.parse(text));
  if (!ISO_DATE_TIME.test(text)) return undefined;
  return finite(Date.parse(HAS_ZONE.test(text) ? text : text + "Z"));
}

const digit = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
};
const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

/**
 * Epoch ms of a `YYYY-MM-DDTHH:mm:ss.sssZ` string (what HubSpot and `toISOString()` write) without a regex or
 * `Date.parse`, or `undefined` when the text is not in that exact form or is a case `Date.parse` treats
 * specially (years below 100, hour 24, out-of-range fields); callers then take the general path, so results
 * always equal `Date.parse`'s.
 *
 * @example
 * canonicalIsoMillis("2024-01-17T19:55:04.281Z"); // 1705521304281
 */
export function canonicalIsoMillis(s: string): number | undefined {
  if (
    s.length !== 24 ||
    s.charCodeAt(4) !== 45 || // -
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 || // T
    s.charCodeAt(13) !== 58 || // :
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(19) !== 46 || // .
    s.charCodeAt(23) !== 90 // Z
  ) {
    return undefined;
  }
  const year = two(s, 0) * 100 + two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  const milli = digit(s, 20) * 100 + two(s, 21);
  // NaN fails every comparison, so a non-digit anywhere lands in the general path too
  if (
    !(year >= 100) ||
    !(month >= 1 && month <= 12) ||
    !(day >= 1 && day <= 31) ||
    !(hour <= 23) ||
    !(minute <= 59) ||
    !(second <= 59) ||
    !(milli >= 0)
  ) {
    return undefined;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, milli);
}

function finite(ms: number): number | undefined {
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Whether a row's cursor is at or after `sinceMs`; rows without a readable cursor count as after (never lose a
 * record).
 */
export function isAtOrAfter(row: Row, cursor: RowAccessor, sinceMs: number): boolean {
  const ms = cursorMillis(cursor(row));
  return ms === undefined || ms >= sinceMs;
}

/** Options of {@link filterByCursor}. */
export interface FilterByCursorOptions {
  /** Field name, dotted path ("properties.hs_lastmodifieddate") or function returning the row's cursor. */
  cursorField: CursorField;
  /** Lower bound, inclusive (at-least-once); anything {@link cursorMillis} reads. `undefined` keeps every row. */
  since?: unknown;
}

/**
 * Keeps the rows whose cursor is at or after `since`, for streams HubSpot cannot filter server-side.
 *
 * Like `Array.prototype.filter` on each page's records; pages are never dropped, since one emptied by the filter
 * may still carry state.
 *
 * ```
 * source: --a--b--|    a = [t1, t5], b = [t2]
 * filterByCursor({ cursorField: "updatedAt", since: t3 })
 * result: --x--y--|    x = [t5], y = []
 * ```
 *
 * @example
 * page$.pipe(filterByCursor({ cursorField: "lastUpdated", since: state.lastUpdated }));
 */
export function filterByCursor({ cursorField, since }: FilterByCursorOptions): MonoTypeOperatorFunction<Page> {
  if (since === undefined || since === null) return (source) => source;
  const sinceMs = cursorMillis(since);
  if (sinceMs === undefined) throw new TypeError(`filterByCursor: cannot read "since" as a date: ${String(since)}`);
  const cursor = toAccessor(cursorField);
  return map((page) => {
    const records = page.records;
    const kept: Row[] = [];
    for (let i = 0; i < records.length; i++) {
      const row = records[i] as Row;
      if (isAtOrAfter(row, cursor, sinceMs)) kept.push(row);
    }
    return kept.length === records.length ? page : { ...page, records: kept };
  });
}
