import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { customersToParquet } from "../examples/custom-chain.js";

describe("the README's custom chain", () => {
  it("is the example file, verbatim", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const example = readFileSync(new URL("../examples/custom-chain.ts", import.meta.url), "utf8");
    expect(readme).toContain(example.trim());
  });

  it("writes only customers, unnested, to a Parquet file DuckDB reads", async () => {
    const dir = mkdtempSync(join(tmpdir(), "example-"));
    const written = await customersToParquet(dir);
    expect(written).toBeGreaterThan(0);
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    const reader = await conn.runAndReadAll(
      `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE properties_lifecyclestage <> 'customer')::INTEGER AS other
       FROM read_parquet('${join(dir, "customers", "*.parquet")}', union_by_name = true)`,
    );
    const [row] = reader.getRowObjects();
    expect(row?.n).toBe(written);
    expect(row?.other).toBe(0);
  });
});
