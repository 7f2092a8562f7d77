import { type MonoTypeOperatorFunction, map } from "rxjs";
import type { Page, Row } from "../sources/page.js";
import { compileFunction, literalKey, readKey, type Shape, ShapeCache, setOwn } from "./record-shape.js";

/** Options of {@link unnestProperties}. */
export interface UnnestOptions {
  /** The nested object to copy from. @default "properties" */
  field?: string;
  /** Prefix of the top-level copies. @default "properties_" */
  prefix?: string;
}

/** Memo of `prefix + key`: the same few hundred property names recur on every record. */
type KeyCache = Map<string, string>;

function unnestWith(row: Row, field: string, prefix: string, keys: KeyCache): Row {
  const nested = row[field];
  if (nested === null || typeof nested !== "object" || Array.isArray(nested)) return row;
  const out: Row = {};
  for (const key in row) setOwn(out, key, row[key]);
  const props = nested as Record<string, unknown>;
  for (const key in props) {
    let top = keys.get(key);
    if (top === undefined) {
      top = prefix + key;
      keys.set(key, top);
    }
    setOwn(out, top, props[key]);
  }
  return out;
}

type Unnester = (row: Row, nested: Record<string, unknown>) => Row;

/** Compiles `{ ...row, [prefix + k]: nested[k] ... }` for one layout as a single object literal. */
function compileUnnester(prefix: string): (shape: Shape) => Unnester {
  return ({ keys, nested = [] }) => {
    const fields = keys.map((k) => `${literalKey(k)}: ${readKey("row", k)}`);
    for (const k of nested) fields.push(`${literalKey(prefix + k)}: ${readKey("nested", k)}`);
    return compileFunction<Unnester>(["row", "nested"], `return {${fields.join(",")}};`);
  };
}

/**
 * Copies every `row[field].X` to a top-level `prefix + X`, keeping `row[field]` (the seed connector's shape).
 *
 * Returns the row itself when `row[field]` is not an object; never mutates its input.
 *
 * @example
 * unnestRecord({ id: "1", properties: { email: "a@b.c" } });
 * // { id: "1", properties: { email: "a@b.c" }, properties_email: "a@b.c" }
 */
export function unnestRecord(row: Row, { field = "properties", prefix = "properties_" }: UnnestOptions = {}): Row {
  return unnestWith(row, field, prefix, new Map());
}

/**
 * Flattens each record's `properties` into top-level `properties_*` columns.
 *
 * ```
 * source: --a--|   a = [{ id, properties: { x: 1 } }]
 * unnestProperties()
 * result: --b--|   b = [{ id, properties: { x: 1 }, properties_x: 1 }]
 * ```
 *
 * @example
 * page$.pipe(unnestProperties(), castTypes(types));
 */
export function unnestProperties({
  field = "properties",
  prefix = "properties_",
}: UnnestOptions = {}): MonoTypeOperatorFunction<Page> {
  const keys: KeyCache = new Map();
  const shapes = new ShapeCache(compileUnnester(prefix));
  const unnest = (row: Row): Row => {
    const nested = row[field];
    if (nested === null || typeof nested !== "object" || Array.isArray(nested)) return row;
    const build = shapes.get(row, nested);
    return build === undefined ? unnestWith(row, field, prefix, keys) : build(row, nested as Record<string, unknown>);
  };
  return map((page) => {
    const records = page.records;
    const out = new Array<Row>(records.length);
    for (let i = 0; i < records.length; i++) out[i] = unnest(records[i] as Row);
    return { ...page, records: out };
  });
}
