import { type MonoTypeOperatorFunction, map } from "rxjs";
import type { Page, Row } from "../sources/page.js";
import { compilePath, type RowAccessor } from "./path.js";

/** Where one child table comes from in a parent record. */
export interface ChildSpec {
  /** Child table name, `parent_child` as in the seed (e.g. "engagements_metadata_to"). */
  table: string;
  /** Dotted path of the nested array or object (e.g. "metadata" or "metadata.to"). */
  path: string;
  /** Dotted path of the parent's id (e.g. "engagement.id" or "id"). */
  parentKey: string;
  /** Column that holds the parent's id in the child (e.g. "engagement_id"). */
  parentKeyAs: string;
}

interface CompiledSpec {
  readonly spec: ChildSpec;
  readonly nested: RowAccessor;
  readonly parentId: RowAccessor;
}

function compile(spec: ChildSpec): CompiledSpec {
  return { spec, nested: compilePath(spec.path), parentId: compilePath(spec.parentKey) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function appendChildRows(row: Row, { spec, nested, parentId }: CompiledSpec, into: Row[]): void {
  const value = nested(row);
  const id = parentId(row) ?? null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i];
      into.push(
        isObject(element)
          ? { [spec.parentKeyAs]: id, _index: i, ...element }
          : { [spec.parentKeyAs]: id, _index: i, value: element },
      );
    }
  } else if (isObject(value)) {
    into.push({ [spec.parentKeyAs]: id, ...value });
  }
  // Missing, null or scalar values have nothing to split; the parent keeps them.
}

/**
 * Lists the child rows one record yields for one spec: one per array element (with `_index`), or one for an
 * object; nested arrays inside are left as they are (a deeper spec splits them).
 *
 * @example
 * childRows({ engagement: { id: 9 }, metadata: { to: [{ email: "a@b.c" }] } },
 *   { table: "engagements_metadata_to", path: "metadata.to", parentKey: "engagement.id", parentKeyAs: "engagement_id" });
 * // [{ engagement_id: 9, _index: 0, email: "a@b.c" }]
 */
export function childRows(row: Row, spec: ChildSpec): Row[] {
  const rows: Row[] = [];
  appendChildRows(row, compile(spec), rows);
  return rows;
}

/**
 * Splits nested arrays and objects of each record into child tables under `page.children`.
 *
 * Records are not modified; every spec's table is present on every page (possibly empty), so sinks see the
 * table even when a page has no children for it; children already on the page are kept.
 *
 * ```
 * source: --a--|   a.records = [{ id: 1, tags: ["x", "y"] }]
 * splitChildren([{ table: "t_tags", path: "tags", parentKey: "id", parentKeyAs: "t_id" }])
 * result: --b--|   b.children.t_tags = [{ t_id: 1, _index: 0, value: "x" }, { t_id: 1, _index: 1, value: "y" }]
 * ```
 *
 * @example
 * page$.pipe(splitChildren([
 *   { table: "engagements_metadata", path: "metadata", parentKey: "engagement.id", parentKeyAs: "engagement_id" },
 *   { table: "engagements_metadata_to", path: "metadata.to", parentKey: "engagement.id", parentKeyAs: "engagement_id" },
 * ]));
 */
export function splitChildren(specs: readonly ChildSpec[]): MonoTypeOperatorFunction<Page> {
  const compiled = specs.map(compile);
  return map((page) => {
    const children: Record<string, Row[]> = { ...page.children };
    for (const c of compiled) {
      const existing = children[c.spec.table];
      const rows: Row[] = existing ? existing.slice() : [];
      for (const record of page.records) appendChildRows(record, c, rows);
      children[c.spec.table] = rows;
    }
    return { ...page, children };
  });
}
