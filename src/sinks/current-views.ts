import { existsSync } from "node:fs";
import { readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ident } from "./row-appender.js";
import { DELETED_COLUMN, type TableSpec } from "./sink.js";

/** Name of the file, in a file sink's output folder, holding one DuckDB view per table. */
export const CURRENT_SQL = "current.sql";

/** What a view needs to know about a table beyond where its files are. */
export interface ViewEntry {
  table: string;
  primaryKey?: string[][];
  parent?: { table: string; key: string };
  /** The table declares `_ab_cdc_deleted_at`: rows with it set are deletes. */
  tombstones?: boolean;
}

const MARK = "-- view ";
const HEADER = `-- The current state of every table synced into this folder, as DuckDB views: the newest row per primary
-- key (newest = last part file by name, then last row), keys whose newest row is a delete (_ab_cdc_deleted_at set)
-- left out. Rewritten by source-hubspot at the end of each sync. Use: duckdb -init out/current.sql
-- (or .read out/current.sql), then SELECT * FROM contacts. Paths are absolute: re-run a sync after moving the folder.
`;

/** The view entry for a table a sink opened; `tombstones`: its files hold the `_ab_cdc_deleted_at` column. */
export function viewEntry(spec: TableSpec, tombstones: boolean): ViewEntry {
  return { table: spec.name, primaryKey: spec.primaryKey, parent: spec.parent, tombstones };
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Where a table's data is: Parquet parts win over an NDJSON file when both exist. */
async function sourceOf(dir: string, table: string): Promise<string | undefined> {
  const parts = join(dir, table);
  if (existsSync(parts) && (await readdir(parts)).some((f) => /^part-.*\.parquet$/.test(f))) {
    return `read_parquet(${quote(join(parts, "part-*.parquet"))}, union_by_name = true, filename = true, file_row_number = true)`;
  }
  for (const file of [`${table}.ndjson`, `${table}.ndjson.gz`]) {
    // one file in append order: its row number (in scan order) orders the versions; every line is sampled so a
    // field that first appears late (a delete's _ab_cdc_deleted_at) still gets its column
    if (existsSync(join(dir, file))) {
      return `(SELECT *, ${quote(file)} AS filename, row_number() OVER () AS file_row_number FROM read_ndjson(${quote(join(dir, file))}, sample_size = -1, union_by_name = true))`;
    }
  }
  return undefined;
}

/**
 * One `CREATE OR REPLACE VIEW` statement: the newest row per key. A child table's view keeps, for each live parent
 * (`parentKey` = the parent's key column), the rows of the newest part holding any of its rows. Exact for Parquet
 * unless a parent was re-written with fewer children between two checkpoints; an NDJSON child view keeps the
 * children of every version of a live parent.
 */
export function viewSql(entry: ViewEntry, source: string, parentKey = "id"): string {
  const drop = "EXCLUDE (filename, file_row_number, _newest)";
  const key = (entry.primaryKey ?? []).map((p) => ident(p.join(".")));
  if (entry.parent) {
    // children carry no version of their own: the newest part holding rows of a parent key has its latest children
    const k = ident(entry.parent.key);
    return `CREATE OR REPLACE VIEW ${ident(entry.table)} AS
SELECT * EXCLUDE (filename, file_row_number, _latest) FROM (
  SELECT *, max(filename) OVER (PARTITION BY ${k}) AS _latest FROM ${source}
) WHERE filename = _latest AND ${k} IN (SELECT ${ident(parentKey)} FROM ${ident(entry.parent.table)});`;
  }
  if (key.length === 0) {
    return `CREATE OR REPLACE VIEW ${ident(entry.table)} AS SELECT * EXCLUDE (filename, file_row_number) FROM ${source};`;
  }
  const live = entry.tombstones ? ` AND ${ident(DELETED_COLUMN)} IS NULL` : "";
  return `CREATE OR REPLACE VIEW ${ident(entry.table)} AS
SELECT * ${drop} FROM (
  SELECT *, row_number() OVER (PARTITION BY ${key.join(", ")} ORDER BY filename DESC, file_row_number DESC) AS _newest
  FROM ${source}
) WHERE _newest = 1${live};`;
}

function parse(text: string): ViewEntry[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith(MARK))
    .map((l) => JSON.parse(l.slice(MARK.length)) as ViewEntry);
}

const pending = new Map<string, Promise<void>>();

/**
 * Add or refresh views in `<dir>/current.sql`, keeping those of tables synced earlier whose files are still there.
 * Calls for one folder run one after another (an NDJSON and a Parquet sink closing together).
 */
export function updateCurrentViews(dir: string, entries: readonly ViewEntry[]): Promise<void> {
  const abs = resolve(dir);
  const next = (pending.get(abs) ?? Promise.resolve()).then(() => rewrite(abs, entries));
  pending.set(
    abs,
    next.catch(() => {}),
  );
  return next;
}

async function rewrite(dir: string, entries: readonly ViewEntry[]): Promise<void> {
  const path = join(dir, CURRENT_SQL);
  const byTable = new Map<string, ViewEntry>();
  if (existsSync(path)) for (const e of parse(await readFile(path, "utf8"))) byTable.set(e.table, e);
  // once a table's files hold deletes, later runs' files do not take them away (only a full refresh's cleanup does)
  for (const e of entries) byTable.set(e.table, { ...e, tombstones: e.tombstones || byTable.get(e.table)?.tombstones });
  // parents before children: a child's view reads its parent's
  const ordered = [...byTable.values()].sort(
    (a, b) => Number(!!a.parent) - Number(!!b.parent) || a.table.localeCompare(b.table),
  );
  const blocks: string[] = [];
  const written = new Set<string>();
  for (const e of ordered) {
    const source = await sourceOf(dir, e.table);
    const parentKey = e.parent && byTable.get(e.parent.table)?.primaryKey?.[0]?.join(".");
    if (!source || (e.parent && !(written.has(e.parent.table) && parentKey))) continue;
    blocks.push(`${MARK}${JSON.stringify(e)}\n${viewSql(e, source, parentKey)}`);
    written.add(e.table);
  }
  await writeFile(`${path}.tmp`, `${HEADER}\n${blocks.join("\n\n")}\n`);
  await rename(`${path}.tmp`, path);
}
