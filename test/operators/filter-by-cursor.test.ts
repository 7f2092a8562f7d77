import type { TestScheduler } from "rxjs/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { canonicalIsoMillis, cursorMillis, filterByCursor, isAtOrAfter } from "../../src/operators/filter-by-cursor.js";
import { compilePath } from "../../src/operators/path.js";
import type { Page } from "../../src/sources/page.js";
import { createTestScheduler } from "../helpers/marbles.js";

const T = Date.UTC(2024, 0, 17, 19, 55, 4, 281); // 2024-01-17T19:55:04.281Z

describe("cursorMillis", () => {
  it.each([
    ["2024-01-17T19:55:04.281Z", T],
    ["2024-01-17T19:55:04.281000Z", T],
    ["2024-01-17T21:55:04.281+02:00", T],
    ["2024-01-17T19:55:04.281", T],
    ["2024-01-17 19:55:04.281Z", T],
    ["2024-01-17", Date.UTC(2024, 0, 17)],
    [T, T],
    [String(T), T],
    [` ${T} `, T],
    ["1705521304281.0", T],
    [new Date(T), T],
    [0, 0],
    ["", undefined],
    ["abc", undefined],
    ["March 7, 2024", undefined],
    ["2024-13-45", undefined],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    [null, undefined],
    [undefined, undefined],
    [true, undefined],
    [{ value: T }, undefined],
    [new Date(Number.NaN), undefined],
  ])("reads %j as %s", (value, expected) => {
    expect(cursorMillis(value)).toBe(expected);
  });
});

describe("canonicalIsoMillis", () => {
  it("agrees with Date.parse wherever it answers, and declines what Date.parse treats specially", () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pad = (n: number, w: number) => String(n).padStart(w, "0");
    const texts = [
      "2024-01-17T19:55:04.281Z",
      "2024-02-30T10:00:00.000Z",
      "2023-02-29T00:00:00.000Z",
      "2024-04-31T23:59:59.999Z",
      "2024-01-17T24:00:00.000Z",
      "2024-01-17T23:60:00.000Z",
      "2024-01-17T23:59:60.000Z",
      "2024-00-17T00:00:00.000Z",
      "2024-01-00T00:00:00.000Z",
      "0050-01-01T00:00:00.000Z",
      "0000-01-01T00:00:00.000Z",
      "9999-12-31T23:59:59.999Z",
      "2024-01-17T19:55:04.28xZ",
      "2024-01-17t19:55:04.281Z",
      "2024-01-17T19:55:04.281z",
      " 024-01-17T19:55:04.281Z",
    ];
    for (let i = 0; i < 5000; i++) {
      const f = (max: number, w: number) => pad(Math.floor(rnd() * max), w);
      texts.push(`${f(10000, 4)}-${f(15, 2)}-${f(34, 2)}T${f(26, 2)}:${f(62, 2)}:${f(62, 2)}.${f(1000, 3)}Z`);
    }
    let answered = 0;
    for (const text of texts) {
      const fast = canonicalIsoMillis(text);
      if (fast === undefined) continue;
      answered++;
      expect([text, fast]).toEqual([text, Date.parse(text)]);
    }
    expect(answered).toBeGreaterThan(2000);
    for (const declined of ["2024-01-17T24:00:00.000Z", "0050-01-01T00:00:00.000Z", "2024-01-17T19:55:04Z"]) {
      expect(canonicalIsoMillis(declined)).toBeUndefined();
    }
  });

  it("leaves cursorMillis's answers unchanged for the texts it declines", () => {
    expect(cursorMillis("2024-01-17T24:00:00.000Z")).toBe(Date.UTC(2024, 0, 18));
    expect(cursorMillis("0050-01-01T00:00:00.000Z")).toBe(Date.parse("0050-01-01T00:00:00.000Z"));
    expect(cursorMillis("2024-13-01T00:00:00.000Z")).toBeUndefined();
  });
});

describe("isAtOrAfter", () => {
  const cursor = compilePath("properties.hs_lastmodifieddate");
  it.each([
    [{ properties: { hs_lastmodifieddate: "2024-01-17T19:55:04.281Z" } }, T, true],
    [{ properties: { hs_lastmodifieddate: "2024-01-17T19:55:04.280Z" } }, T, false],
    [{ properties: { hs_lastmodifieddate: String(T + 1) } }, T, true],
    [{ properties: { hs_lastmodifieddate: "not a date" } }, T, true],
    [{ properties: {} }, T, true],
    [{}, T, true],
    [{ properties: null }, T, true],
  ])("for %j at or after %i says %s", (row, since, expected) => {
    expect(isAtOrAfter(row, cursor, since)).toBe(expected);
  });
});

describe("filterByCursor", () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  const page = (records: Page["records"], state?: Page["state"]): Page => ({ stream: "forms", records, state });

  it("keeps rows at or after since, rows without a readable cursor, and every page", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("-a-b-|", {
        a: page([
          { id: 1, updatedAt: "2024-01-16T00:00:00Z" },
          { id: 2, updatedAt: "2024-01-17" },
          { id: 3, updatedAt: T },
          { id: 4 },
        ]),
        b: page([{ id: 5, updatedAt: "2023-12-31" }], { after: "5" }),
      });
      const result = source.pipe(filterByCursor({ cursorField: "updatedAt", since: "2024-01-17T00:00:00.000Z" }));
      expectObservable(result).toBe("-a-b-|", {
        a: page([{ id: 2, updatedAt: "2024-01-17" }, { id: 3, updatedAt: T }, { id: 4 }]),
        b: page([], { after: "5" }),
      });
      expectSubscriptions(source.subscriptions).toBe("^----!");
    });
  });

  it("reads the cursor through a function", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold("a|", { a: page([{ c: { at: 5 } }, { c: { at: 10 } }]) });
      const result = source.pipe(filterByCursor({ cursorField: (row) => (row.c as { at: number }).at, since: 10 }));
      expectObservable(result).toBe("a|", { a: page([{ c: { at: 10 } }]) });
    });
  });

  it("passes everything when since is undefined", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const a = page([{ updatedAt: 0 }]);
      expectObservable(cold("a|", { a }).pipe(filterByCursor({ cursorField: "updatedAt" }))).toBe("a|", { a });
    });
  });

  it("propagates errors", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold<Page>("#", undefined, new Error("boom"));
      expectObservable(source.pipe(filterByCursor({ cursorField: "x", since: 1 }))).toBe(
        "#",
        undefined,
        new Error("boom"),
      );
    });
  });

  it("refuses a since it cannot read", () => {
    expect(() => filterByCursor({ cursorField: "updatedAt", since: "yesterday" })).toThrow(/since/);
  });
});
