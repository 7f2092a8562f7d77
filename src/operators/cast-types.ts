import { type MonoTypeOperatorFunction, map } from "rxjs";
import type { Page, Row } from "../sources/page.js";
import { cursorMillis } from "./filter-by-cursor.js";
import { compileFunction, isPlainObject, literalKey, readKey, ShapeCache, setOwn } from "./record-shape.js";

/** A HubSpot property type; unknown types are passed through uncast. */
export type PropertyType =
  | "string"
  | "number"
  | "bool"
  | "datetime"
  | "date"
  | "enumeration"
  | "phone_number"
  | "json"
  | (string & {});

/** Outcome of {@link castValue}: the cast value, or a refusal (the caller keeps the original). */
export type CastResult = { ok: true; value: unknown } | { ok: false };

const FAIL: unique symbol = Symbol("uncastable");
type Caster = (value: unknown) => unknown; // returns FAIL when the value cannot be cast
type RowCaster = (row: Row, nested: Record<string, unknown> | undefined) => Row;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const CANONICAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const castNumber: Caster = (value) => {
  if (typeof value === "number") return Number.isFinite(value) ? value : FAIL;
  if (typeof value !== "string") return FAIL;
  let text = value.trim();
  if (text === "") return null;
  // HubSpot (and the seed) write thousands separators: "1,234.5".
  if (text.includes(",")) text = text.replaceAll(",", "");
  return NUMBER.test(text) ? Number(text) : FAIL;
};

const castBool: Caster = (value) => {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") return FAIL;
  const text = value.trim().toLowerCase();
  if (text === "true") return true;
  if (text === "false") return false;
  return text === "" ? null : FAIL;
};

function millisToIso(ms: number | undefined): string | typeof FAIL {
  if (ms === undefined) return FAIL;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? FAIL : date.toISOString();
}

const castDateTime: Caster = (value) => {
  if (value === "") return null;
  // Most HubSpot values are already canonical; skip the parse/format round trip for them.
  if (typeof value === "string" && CANONICAL_DATE_TIME.test(value)) return value;
  if (typeof value !== "string" && typeof value !== "number") return FAIL;
  return millisToIso(cursorMillis(value));
};

/** Whether `Date.parse` accepts a `YYYY-MM-DD` text: V8 takes any month 01–12 with any day 01–31 (rolling over). */
function dateFieldsInRange(text: string): boolean {
  const month = (text.charCodeAt(5) - 48) * 10 + text.charCodeAt(6) - 48;
  const day = (text.charCodeAt(8) - 48) * 10 + text.charCodeAt(9) - 48;
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

const castDate: Caster = (value) => {
  if (value === "") return null;
  if (typeof value === "string" && DATE.test(value)) return dateFieldsInRange(value) ? value : FAIL;
  if (typeof value !== "string" && typeof value !== "number") return FAIL;
  const iso = millisToIso(cursorMillis(value));
  return iso === FAIL ? FAIL : iso.slice(0, 10);
};

const castString: Caster = (value) => {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
};

const passThrough: Caster = (value) => value;

const CASTERS: Record<string, Caster> = {
  number: castNumber,
  bool: castBool,
  boolean: castBool,
  datetime: castDateTime,
  "date-time": castDateTime,
  date: castDate,
  string: castString,
  enumeration: castString,
  phone_number: castString,
  json: castString,
  object_coordinates: castString,
};

function casterFor(type: PropertyType): Caster {
  return CASTERS[type] ?? passThrough;
}

function applyCaster(caster: Caster, value: unknown): unknown {
  // null and absent stay as they are for every type.
  return value === null || value === undefined ? value : caster(value);
}

/**
 * Casts one HubSpot property value to its declared type.
 *
 * - number: `"123"` → 123, `"67340.0"` → 67340, `"1,234.5"` → 1234.5
 * - bool: `"TRUE"`/`"false"` (any case) → boolean
 * - datetime: ISO, date, epoch-ms number or numeric string → `"YYYY-MM-DDTHH:mm:ss.sssZ"` (UTC)
 * - date: ISO date-time (its UTC day), date or epoch ms → `"YYYY-MM-DD"`
 * - string, enumeration, phone_number, json: → string (`""` stays `""`, a real value of a text property)
 * - every other type: `""` → null; null stays null; unknown types pass through.
 *
 * @example
 * castValue("1,234.5", "number"); // { ok: true, value: 1234.5 }
 * castValue("12;34", "number");   // { ok: false }
 */
export function castValue(value: unknown, type: PropertyType): CastResult {
  const cast = applyCaster(casterFor(type), value);
  return cast === FAIL ? { ok: false } : { ok: true, value: cast };
}

/** Options of {@link castTypes}. */
export interface CastTypesOptions {
  /** Called once per property per operator instance with the first value that could not be cast. */
  onUncastable?: (property: string, value: unknown) => void;
  /** Nested object holding the properties. @default "properties" */
  field?: string;
  /** Prefix of the unnested top-level copies. @default "properties_" */
  prefix?: string;
}

/**
 * Casts `row.properties[name]` and `row["properties_" + name]` to the types HubSpot declares for them.
 *
 * An uncastable value keeps its original form (never lose data) and is reported once per property.
 *
 * ```
 * source: --a--|   a = [{ properties: { n: "1,5" }, properties_n: "1,5" }]
 * castTypes({ n: "number" })
 * result: --b--|   b = [{ properties: { n: 15 }, properties_n: 15 }]
 * ```
 *
 * @example
 * page$.pipe(unnestProperties(), castTypes({ amount: "number", closedate: "datetime" }, { onUncastable: warn }));
 */
export function castTypes(
  types: Readonly<Record<string, PropertyType>>,
  { onUncastable, field = "properties", prefix = "properties_" }: CastTypesOptions = {},
): MonoTypeOperatorFunction<Page> {
  const reported = new Set<string>();
  // One wrapper per typed property, made once: the hot path calls it without allocating.
  const byName = new Map<string, Caster>();
  const byTopKey = new Map<string, Caster>();
  for (const [name, type] of Object.entries(types)) {
    const caster = casterFor(type);
    if (caster === passThrough) continue;
    const castOrKeep: Caster = (value) => {
      const result = applyCaster(caster, value);
      if (result !== FAIL) return result;
      if (onUncastable && !reported.has(name)) {
        reported.add(name);
        onUncastable(name, value);
      }
      return value;
    };
    byName.set(name, castOrKeep);
    byTopKey.set(prefix + name, castOrKeep);
  }
  const castRowGeneric = (row: Row, nested: Record<string, unknown> | undefined): Row => {
    const out: Row = {};
    for (const key in row) {
      if (key === field && nested !== undefined) {
        const props: Record<string, unknown> = {};
        for (const name in nested) {
          const castOrKeep = byName.get(name);
          setOwn(props, name, castOrKeep === undefined ? nested[name] : castOrKeep(nested[name]));
        }
        setOwn(out, key, props);
        continue;
      }
      const castOrKeep = byTopKey.get(key);
      setOwn(out, key, castOrKeep === undefined ? row[key] : castOrKeep(row[key]));
    }
    return out;
  };
  const shapes = new ShapeCache<RowCaster>(({ keys, nested }) => {
    const used: Caster[] = [];
    const call = (castOrKeep: Caster | undefined, read: string): string => {
      if (castOrKeep === undefined) return read;
      used.push(castOrKeep);
      return `c[${used.length - 1}](${read})`;
    };
    // unnestProperties copied each nested value to its top-level key, so each value is cast once and the result
    // reused for its copy while the two still hold the same value (casts are pure; a failure is reported by name)
    const castNested = new Map<string, string>();
    const fields = keys.map((key) => {
      if (key === field && nested !== undefined) {
        const props = nested.map((name) => {
          const cast = call(byName.get(name), readKey("nested", name));
          if (byName.has(name)) {
            const local = `v${castNested.size}`;
            castNested.set(prefix + name, local);
            return `${literalKey(name)}: (${local} = ${cast})`;
          }
          return `${literalKey(name)}: ${cast}`;
        });
        return `${literalKey(key)}: {${props.join(",")}}`;
      }
      const local = castNested.get(key);
      const read = readKey("row", key);
      if (local !== undefined) {
        const same = readKey("nested", key.slice(prefix.length));
        return `${literalKey(key)}: ${read} === ${same} ? ${local} : ${call(byTopKey.get(key), read)}`;
      }
      return `${literalKey(key)}: ${call(byTopKey.get(key), read)}`;
    });
    const locals = castNested.size ? `let ${[...castNested.values()].join(",")};` : "";
    const build = compileFunction<(c: Caster[]) => RowCaster>(
      ["c"],
      `return (row, nested) => {${locals} return {${fields.join(",")}}; };`,
    );
    return build(used);
  });
  const castRow = (row: Row): Row => {
    const value = row[field];
    const nested = isPlainObject(value) ? value : undefined;
    const build = shapes.get(row, nested);
    return build === undefined ? castRowGeneric(row, nested) : build(row, nested);
  };
  return map((page) => {
    const records = page.records;
    const out = new Array<Row>(records.length);
    for (let i = 0; i < records.length; i++) out[i] = castRow(records[i] as Row);
    return { ...page, records: out };
  });
}
