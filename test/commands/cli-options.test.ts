import { describe, expect, it } from "vitest";
import {
  closestName,
  didYouMean,
  editDistance,
  parseCount,
  parseList,
  parseSeconds,
} from "../../src/commands/cli-options.js";
import type { SourceError } from "../../src/errors.js";

/** The error a parser throws, or undefined. */
function thrown(f: () => unknown): SourceError | undefined {
  try {
    f();
  } catch (err) {
    return err as SourceError;
  }
  return undefined;
}

describe("parseList", () => {
  it.each([
    ["ndjson", ["ndjson"]],
    ["ndjson, parquet", ["ndjson", "parquet"]],
    [",ndjson,,", ["ndjson"]],
  ])("reads %j as %j", (value, names) => {
    expect(parseList("--sink", value)).toEqual(names);
  });

  it.each(["", " ", ",", " , "])("refuses %j as a config-kind error naming the flag", (value) => {
    const err = thrown(() => parseList("--sink", value));
    expect(err?.kind).toBe("config");
    expect(err?.message).toMatch(/^--sink: name at least one/);
  });
});

describe("parseSeconds", () => {
  it.each([
    ["60", 60],
    ["0", 0],
    ["0.001", 0.001],
    [" 5 ", 5],
  ])("reads %j as %d", (value, seconds) => {
    expect(parseSeconds("--checkpoint-seconds", value)).toBe(seconds);
  });

  it.each(["abc", "-1", "", "Infinity", "1e400", "NaN"])("refuses %j", (value) => {
    const err = thrown(() => parseSeconds("--checkpoint-seconds", value));
    expect(err?.code).toBe("USAGE_INVALID");
    expect(err?.message).toContain(`got "${value}"`);
  });
});

describe("parseCount", () => {
  it.each([
    ["1", 1],
    ["500000", 500_000],
  ])("reads %j as %d", (value, n) => {
    expect(parseCount("--checkpoint-records", value)).toBe(n);
  });

  it.each(["0", "-1", "1.5", "abc", "", "1e3"])("refuses %j", (value) => {
    expect(thrown(() => parseCount("--checkpoint-records", value))?.kind).toBe("config");
  });
});

describe("editDistance", () => {
  it.each([
    ["contacts", "contacts", 0],
    ["contcts", "contacts", 1],
    ["cotnacts", "contacts", 1],
    ["deal", "deals", 1],
    ["owners", "owner", 1],
    ["", "abc", 3],
  ])("from %j to %j is %d", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe("closestName", () => {
  const streams = ["contacts", "companies", "deals", "deal_pipelines", "owners", "engagements_calls"];

  it.each([
    ["contcts", "contacts"],
    ["Contacts", "contacts"],
    ["deal", "deals"],
    ["engagement_calls", "engagements_calls"],
    ["zzzzzz", undefined],
    ["tickets", undefined],
  ])("suggests %j → %j", (typo, match) => {
    expect(closestName(typo, streams)).toBe(match);
  });

  it("phrases a hint only when there is one", () => {
    expect(didYouMean("ownrs", streams)).toBe(' (did you mean "owners"?)');
    expect(didYouMean("zzzzzz", streams)).toBe("");
  });
});
