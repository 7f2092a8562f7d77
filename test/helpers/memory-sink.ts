import type { Sink, TableSpec } from "../../src/sinks/sink.js";
import type { Row } from "../../src/sources/page.js";

/** A Sink that keeps every row in memory, per table, for assertions. */
export class MemorySink implements Sink {
  readonly name = "memory";
  readonly tables = new Map<string, Row[]>();
  readonly specs = new Map<string, TableSpec>();
  flushes = 0;

  async open(table: TableSpec): Promise<void> {
    this.specs.set(table.name, table);
    if (!this.tables.has(table.name)) this.tables.set(table.name, []);
  }

  async write(table: string, rows: readonly Row[]): Promise<void> {
    const list = this.tables.get(table);
    if (!list) throw new Error(`table ${table} written before open()`);
    // Copy: operators must not mutate what a sink already accepted.
    for (const r of rows) list.push(structuredClone(r));
  }

  async flush(): Promise<void> {
    this.flushes++;
  }

  async close(): Promise<void> {}

  rows(table: string): Row[] {
    return this.tables.get(table) ?? [];
  }
}
