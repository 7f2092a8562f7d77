import { DuckDBInstance } from "@duckdb/node-api";

/**
 * Rows of one query against a DuckDB file (or ":memory:"), after `init` (e.g. current.sql's views); both handles
 * are closed, or the file stays locked for the next sync.
 */
export async function queryDuckDb(path: string, sql: string, init?: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(path);
  const conn = await db.connect();
  try {
    if (init) await conn.run(init);
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
