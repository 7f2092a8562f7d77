import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { constants, gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LineEncoder, ndjsonSink } from "../../src/sinks/ndjson.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ndjson-sink-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rowsOf = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: String(from + i),
    properties: { email: `u${from + i}@x.io`, n: from + i },
  }));
const parseLines = (text: string) =>
  text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));

async function runOnce(mode: "append" | "overwrite", rows: object[], gzip = false) {
  const sink = ndjsonSink({ dir, gzip });
  await sink.open({ name: "contacts", mode });
  await sink.write("contacts", rows as never);
  await sink.close();
}

describe("ndjsonSink", () => {
  it("round-trips every row as one JSON line per row", async () => {
    const sink = ndjsonSink({ dir });
    await sink.open({ name: "contacts", mode: "overwrite" });
    await sink.write("contacts", rowsOf(0, 3));
    await sink.write("contacts", rowsOf(3, 2));
    await sink.write("contacts", []);
    await sink.close();
    const text = await readFile(join(dir, "contacts.ndjson"), "utf8");
    expect(text.endsWith("\n")).toBe(true);
    expect(parseLines(text)).toEqual(rowsOf(0, 5));
  });

  it("appends in append mode and truncates in overwrite mode", async () => {
    await runOnce("overwrite", rowsOf(0, 3));
    await runOnce("append", rowsOf(3, 2));
    expect(parseLines(await readFile(join(dir, "contacts.ndjson"), "utf8"))).toEqual(rowsOf(0, 5));
    await runOnce("overwrite", rowsOf(10, 1));
    expect(parseLines(await readFile(join(dir, "contacts.ndjson"), "utf8"))).toEqual(rowsOf(10, 1));
  });

  it("cuts a torn last line before appending", async () => {
    const path = join(dir, "contacts.ndjson");
    await writeFile(path, `${JSON.stringify(rowsOf(0, 1)[0])}\n{"id":"1","proper`);
    await runOnce("append", rowsOf(1, 1));
    expect(parseLines(await readFile(path, "utf8"))).toEqual(rowsOf(0, 2));
  });

  it("empties a file that holds only a torn line", async () => {
    const path = join(dir, "contacts.ndjson");
    await writeFile(path, `{"id":"0","pro`);
    await runOnce("append", rowsOf(5, 1));
    expect(await readFile(path, "utf8")).toBe(`${JSON.stringify(rowsOf(5, 1)[0])}\n`);
  });

  it("writes gzip that zlib reads, and appends as further gzip members", async () => {
    await runOnce("overwrite", rowsOf(0, 3), true);
    await runOnce("append", rowsOf(3, 3), true);
    const text = gunzipSync(await readFile(join(dir, "contacts.ndjson.gz"))).toString("utf8");
    expect(parseLines(text)).toEqual(rowsOf(0, 6));
  });

  it("makes rows durable on flush, before close", async () => {
    const sink = ndjsonSink({ dir });
    await sink.open({ name: "contacts", mode: "overwrite" });
    await sink.write("contacts", rowsOf(0, 4));
    await sink.flush();
    expect(parseLines(await readFile(join(dir, "contacts.ndjson"), "utf8"))).toEqual(rowsOf(0, 4));
    await sink.close();
  });

  it("makes gzip rows decodable on flush, and repairs a killed gzip file on append", async () => {
    const path = join(dir, "contacts.ndjson.gz");
    const sink = ndjsonSink({ dir, gzip: true });
    await sink.open({ name: "contacts", mode: "overwrite" });
    await sink.write("contacts", rowsOf(0, 4));
    await sink.flush();
    // the file as a kill right now would leave it: an unterminated gzip member
    const killed = join(dir, "killed.ndjson.gz");
    await copyFile(path, killed);
    const bytes = await readFile(killed);
    expect(() => gunzipSync(bytes)).toThrow();
    const decodable = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }).toString("utf8");
    expect(parseLines(decodable)).toEqual(rowsOf(0, 4));
    await sink.close();

    const resumed = ndjsonSink({ dir, gzip: true });
    await resumed.open({ name: "killed", mode: "append" });
    await resumed.write("killed", rowsOf(4, 2));
    await resumed.close();
    expect(parseLines(gunzipSync(await readFile(killed)).toString("utf8"))).toEqual(rowsOf(0, 6));
  });

  it("rejects a write to a table that was not opened", async () => {
    const sink = ndjsonSink({ dir });
    await expect(sink.write("nope", rowsOf(0, 1))).rejects.toThrow(/not opened/);
  });

  it("writes exactly JSON.stringify's text, in UTF-8, for pages larger than the one before", async () => {
    const odd = [
      "é ü ß",
      "日本語",
      "😀 emoji",
      "lone \ud800 surrogate",
      'quote " and \\ backslash',
      "tab\tnew\nline",
      "",
    ];
    const small = [{ id: "0", v: 1.5, ok: true, nil: null, skip: undefined, arr: [1, "x"] }];
    const large = Array.from({ length: 400 }, (_, i) => ({
      id: String(i),
      text: odd[i % odd.length]!.repeat(1 + (i % 50)),
      properties: { n: i, s: odd[(i + 3) % odd.length] },
    }));
    const sink = ndjsonSink({ dir });
    await sink.open({ name: "contacts", mode: "overwrite" });
    await sink.write("contacts", small);
    await sink.write("contacts", large);
    await sink.write("contacts", small);
    await sink.close();
    const expected = [...small, ...large, ...small].map((r) => `${JSON.stringify(r)}\n`).join("");
    expect(await readFile(join(dir, "contacts.ndjson"))).toEqual(Buffer.from(expected, "utf8"));
  });
});

describe("LineEncoder", () => {
  it("returns chunks that later calls leave intact", () => {
    const enc = new LineEncoder();
    const first = enc.encode([{ a: "x".repeat(70_000) }]);
    const copy = Buffer.from(first);
    enc.encode([{ b: "y".repeat(200_000) }, { c: "€".repeat(50_000) }]);
    expect(first).toEqual(copy);
    expect(enc.encode([])).toHaveLength(0);
  });
});
