import {
  BehaviorSubject,
  concatMap,
  defer,
  filter,
  lastValueFrom,
  type Observable,
  of,
  take,
  tap,
  toArray,
} from "rxjs";
import { describe, expect, it } from "vitest";
import type { Page } from "../../src/sources/page.js";
import { pullPages, type Step } from "../../src/sources/pull.js";

function pagesUpTo(last: number, fetched: number[]): (n: number) => Observable<Step<number>> {
  return (n) =>
    defer(() => {
      fetched.push(n);
      const page: Page = { stream: "s", records: [{ id: String(n) }] };
      return of(n < last ? { page, next: n + 1 } : { page });
    });
}

describe("pullPages", () => {
  it("emits every page in order and completes after the last", async () => {
    const fetched: number[] = [];
    const pages = await lastValueFrom(pullPages(1, pagesUpTo(4, fetched), () => of(true)).pipe(toArray()));
    expect(pages.map((p) => p.records[0]?.id)).toEqual(["1", "2", "3", "4"]);
    expect(fetched).toEqual([1, 2, 3, 4]);
  });

  it("requests page n+1 only after the sink accepted page n (at most one page in flight)", async () => {
    const fetched: number[] = [];
    const written = new BehaviorSubject(0);
    const ready = (n: number) =>
      written.pipe(
        filter((w) => w >= n),
        take(1),
      );
    let maxInFlight = 0;
    const slowSink = (page: Page) =>
      defer(async () => {
        maxInFlight = Math.max(maxInFlight, fetched.length - written.value);
        await new Promise((r) => setTimeout(r, 2));
        written.next(written.value + 1);
        return page;
      });
    await lastValueFrom(pullPages(1, pagesUpTo(20, fetched), ready).pipe(concatMap(slowSink), toArray()));
    expect(fetched.length).toBe(20);
    expect(maxInFlight).toBe(1);
  });
});

describe("pullPages: paging that does not advance", () => {
  const pages = (cursors: (string | number | undefined)[]) => (n: number) =>
    defer(() => of({ page: { stream: "s", records: [{ id: String(n) }] } as Page, next: cursors[n] as number }));

  it.each([
    ["repeats the cursor it was given", [1, 1]],
    ["goes back to an earlier page", [1, 2, 1]],
    ["names the same cursor as a string", [1, "1" as unknown as number]],
  ])("fails with PAGING_STUCK when the paging %s", async (_name, cursors) => {
    const read = pullPages(0, pages([...cursors]), () => of(true));
    await expect(lastValueFrom(read.pipe(toArray()))).rejects.toMatchObject({ code: "PAGING_STUCK", kind: "api" });
  });

  it("fails on a repeated object cursor too (search keyset cursors)", async () => {
    const step = (c: { lo: number }) =>
      of({ page: { stream: "s", records: [] } as Page, next: { lo: Math.min(c.lo + 1, 2) } });
    const read = pullPages({ lo: 0 }, step, () => of(true));
    await expect(lastValueFrom(read.pipe(toArray()))).rejects.toMatchObject({ code: "PAGING_STUCK" });
  });

  it("delivers the pages read before the repeat", async () => {
    const seen: Page[] = [];
    const read = pullPages(0, pages([1, 2, 1]), () => of(true));
    await expect(lastValueFrom(read.pipe(tap((p) => seen.push(p))))).rejects.toThrow(/again after 3 page/);
    expect(seen.map((p) => p.records[0]?.id)).toEqual(["0", "1", "2"]);
  });
});
