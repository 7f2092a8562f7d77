import { describe, expect, it } from "vitest";
import { castFor, inferType, UNCASTABLE } from "../../src/sinks/column-cast.js";
import type { ColumnType } from "../../src/sinks/sink.js";

const DAY = 86_400_000;
const cases: [ColumnType, unknown, unknown][] = [
  ["string", "a", "a"],
  ["string", 12, "12"],
  ["string", { a: 1 }, '{"a":1}'],
  ["number", "12.5", 12.5],
  ["number", "12;34", UNCASTABLE],
  ["number", "", null],
  ["number", true, UNCASTABLE],
  ["integer", "42", 42],
  ["integer", 7, 7],
  ["integer", 7.5, UNCASTABLE],
  ["integer", 2 ** 53, UNCASTABLE], // a double that may already have been rounded
  ["integer", "9007199254740993", UNCASTABLE],
  ["integer", 9007199254740991n, 9007199254740991],
  ["boolean", "TRUE", true],
  ["boolean", "yes", UNCASTABLE],
  ["timestamp", "2024-05-01T12:00:00.123Z", Date.UTC(2024, 4, 1, 12, 0, 0, 123)],
  ["timestamp", "2024-05-01T12:00:00", Date.UTC(2024, 4, 1, 12)], // no zone: UTC, not local time
  ["timestamp", "2024-05-01T14:00:00+02:00", Date.UTC(2024, 4, 1, 12)],
  ["timestamp", 1714564800000, 1714564800000],
  ["timestamp", "1714564800000", 1714564800000],
  ["timestamp", "soon", UNCASTABLE],
  ["timestamp", "2024-02-30T10:00:00.000Z", Date.UTC(2024, 2, 1, 10)], // Date.parse rolls the day over
  ["timestamp", "2024-01-17T24:00:00.000Z", Date.UTC(2024, 0, 18)],
  ["timestamp", "2024-13-01T00:00:00.000Z", UNCASTABLE],
  ["timestamp", "0050-01-01T00:00:00.000Z", Date.parse("0050-01-01T00:00:00.000Z")],
  ["date", "2024-05-01", Date.UTC(2024, 4, 1) / DAY],
  ["date", "2024-05-01T00:00:00.000Z", Date.UTC(2024, 4, 1) / DAY],
  ["date", Date.UTC(2024, 4, 1), Date.UTC(2024, 4, 1) / DAY],
  ["date", "2024-05-01T10:00:00Z", UNCASTABLE], // a time of day would be lost
  ["json", "x", '"x"'],
  ["json", ["1", "2"], '["1","2"]'],
  ["json", { n: 1n }, '{"n":"1"}'],
  ["string[]", ["1", "2"], ["1", "2"]],
  ["string[]", [1, null, true], ["1", null, "true"]],
  ["string[]", [], []],
  ["string[]", "1;2", UNCASTABLE],
  ["string[]", [{ id: "1" }], UNCASTABLE],
];

describe("castFor", () => {
  it.each(cases)("casts to %s: %o → %o", (type, input, expected) => {
    expect(castFor(type)(input)).toEqual(expected);
  });
});

describe("inferType", () => {
  it.each([
    ["s", "string"],
    [1.5, "number"],
    [false, "boolean"],
    [["1"], "json"],
    [{ a: 1 }, "json"],
  ] as const)("infers %j as %s", (value, type) => {
    expect(inferType(value)).toBe(type);
  });
});
