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
