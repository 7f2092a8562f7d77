import type { Row } from "../sources/page.js";

/** Reads one value out of a row; built once per operator so the hot path never splits strings. */
export type RowAccessor = (row: Row) => unknown;

/**
 * Compiles a dotted path ("properties.hs_lastmodifieddate") into an accessor.
 *
 * Arrays are not traversed (a segment on an array yields `undefined`): paths name objects, and a child spec
 * handles arrays explicitly.
 *
 * @example
 * compilePath("engagement.id")({ engagement: { id: 7 } }); // 7
 */
export function compilePath(path: string): RowAccessor {
  const segments = path.split(".");
  if (segments.length === 1) {
    const key = path;
    return (row) => row[key];
  }
  return (row) => {
    let value: unknown = row;
    for (const segment of segments) {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
      value = (value as Record<string, unknown>)[segment];
    }
    return value;
  };
}

/** A field name, dotted path, or function naming a row's cursor value. */
export type CursorField = string | RowAccessor;

/** Normalizes a {@link CursorField} into an accessor. */
export function toAccessor(field: CursorField): RowAccessor {
  return typeof field === "function" ? field : compilePath(field);
}
