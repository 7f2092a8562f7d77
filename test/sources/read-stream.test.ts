import { describe, expect, it } from "vitest";
import type { Row } from "../../src/sources/page.js";
import { keyedRecords } from "../../src/sources/read-stream.js";

describe("keyedRecords", () => {
  it.each([
    ["every record keyed", [["id"]], [{ id: "1" }, { id: 2 }], 2, 0],
    ["a record without its id", [["id"]], [{ id: "1" }, { name: "x" }], 1, 1],
    ["a null id", [["id"]], [{ id: null }], 0, 1],
    [
      "a composite key missing one part",
      [["listId"], ["recordId"]],
      [{ listId: "1", recordId: "2" }, { listId: "1" }],
      1,
      1,
    ],
    ["an id of 0 is an id", [["id"]], [{ id: 0 }], 1, 0],
    ["no primary key: every record", [], [{}, { a: 1 }], 2, 0],
  ] as [string, string[][], Row[], number, number][])("%s", (_name, key, rows, kept, dropped) => {
    const out = keyedRecords(key, rows);
    expect([out.kept.length, out.dropped]).toEqual([kept, dropped]);
  });
});
