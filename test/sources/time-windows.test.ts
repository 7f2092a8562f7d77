import { describe, expect, it } from "vitest";
import { formatBound, nextStart, windowsBetween } from "../../src/sources/time-windows.js";

describe("windowsBetween", () => {
  it.each([
    [
      "splits into inclusive steps, the last one short",
      0,
      25,
      10,
      [
        [0, 9],
        [10, 19],
        [20, 25],
      ],
    ],
    [
      "exact multiple",
      0,
      19,
      10,
      [
        [0, 9],
        [10, 19],
      ],
    ],
    ["one millisecond range", 5, 5, 10, [[5, 5]]],
    ["no step: one window", 3, 99, undefined, [[3, 99]]],
    ["start after end: none", 10, 9, 5, []],
    ["NaN bounds: none", Number.NaN, 9, 5, []],
  ] as const)("%s", (_name, lo, hi, step, want) => {
    expect(windowsBetween(lo, hi, step)).toEqual(want);
  });

  it("leaves no gap and no overlap between windows", () => {
    const ws = windowsBetween(1_000, 1_000_000, 7_777);
    for (let i = 1; i < ws.length; i++) expect(ws[i]?.[0]).toBe((ws[i - 1]?.[1] ?? 0) + 1);
    expect(ws[0]?.[0]).toBe(1_000);
    expect(ws.at(-1)?.[1]).toBe(1_000_000);
  });
});

describe("nextStart", () => {
  it.each([
    ["mid-run: just past the window", [0, 9], 25, 10],
    ["last window: its end is read again", [20, 25], 25, 25],
  ] as const)("%s", (_name, w, hi, want) => {
    expect(nextStart(w, hi)).toBe(want);
  });
});

describe("formatBound", () => {
  it.each([
    ["ms", 1_700_000_000_000, "ms", 1_700_000_000_000],
    ["iso", 1_700_000_000_000, "iso", "2023-11-14T22:13:20.000Z"],
  ] as const)("%s", (_name, ms, format, want) => {
    expect(formatBound(ms, format)).toEqual(want);
  });
});
