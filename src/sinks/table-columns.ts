import type { Row } from "../sources/page.js";
import { inferType } from "./column-cast.js";
import type { AppendColumn } from "./row-appender.js";
import type { ColumnSpec, ColumnType } from "./sink.js";

/**
 * The columns of one table in table order: declared ones, the sink's own (`_raw`, `_seq`), then undeclared fields
 * as they first show a non-null value (typed by that value). A field that is null in every row so far gets no column
 * yet: nothing is lost, and its first real value decides its type.
 *
 * @example
 * const cols = new TableColumns([{ name: "id", type: "string" }, { name: "_raw", type: "json", role: "raw" }]);
 * cols.discover([{ id: "1", score: 7 }]); // [{ name: "score", type: "number" }]
 */
export class TableColumns {
  private readonly list: AppendColumn[] = [];
  private readonly names = new Set<string>();
  private lastKeys: string[] | undefined;
  /** Keys of the last row layout seen that have no column yet. */
  private pending: string[] = [];

  /** `skip`: fields that never get a column of their own (e.g. a nested object stored only via `_raw`). */
  constructor(
    columns: readonly AppendColumn[],
    private readonly skip: ReadonlySet<string> = new Set(),
  ) {
    for (const c of columns) this.push(c);
  }

  /** Fields that never get a column. */
  get skipped(): ReadonlySet<string> {
    return this.skip;
  }

  get columns(): readonly AppendColumn[] {
    return this.list;
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  typeOf(name: string): ColumnType | undefined {
    return this.list.find((c) => c.name === name)?.type;
  }

  /** Fields of `rows` that have a non-null value and no column yet, in order of first sight. */
  discover(rows: readonly Row[]): ColumnSpec[] {
    let found: Map<string, ColumnType> | undefined;
    for (const row of rows) {
      // rows of one stream nearly always share a layout: only its uncovered keys need looking at
      if (!this.lastKeys || !sameKeys(row, this.lastKeys)) {
        this.lastKeys = Object.keys(row);
        this.pending = this.lastKeys.filter((k) => !this.names.has(k) && !this.skip.has(k));
      }
      for (const key of this.pending) {
        const v = row[key];
        if (v === null || v === undefined || found?.has(key)) continue;
        found ??= new Map();
        found.set(key, inferType(v));
      }
    }
    return found ? [...found].map(([name, type]) => ({ name, type })) : [];
  }

  /** Record columns the caller has added to the table (at its end). */
  add(columns: readonly AppendColumn[]): void {
    for (const c of columns) this.push(c);
    this.lastKeys = undefined;
  }

  private push(c: AppendColumn): void {
    if (this.names.has(c.name)) return;
    this.names.add(c.name);
    this.list.push(c);
  }
}

function sameKeys(obj: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in obj) {
    if (key !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
}
