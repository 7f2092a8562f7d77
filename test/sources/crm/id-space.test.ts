import { describe, expect, it } from "vitest";
import { IdSpace } from "../../../src/sources/crm/id-space.js";

const rules = { minRecordsToSplit: 10 };
const ids = (from: number, n: number, step = 1) => Array.from({ length: n }, (_, i) => from + i * step);

describe("IdSpace", () => {
  it("starts with one list lane over the whole id line", () => {
    const space = new IdSpace();
    const lane = space.openingLane();
    expect([lane.kind, lane.pos, lane.to]).toEqual(["list", 0, Number.POSITIVE_INFINITY]);
    expect(space.snapshot()).toEqual([[0, null]]);
  });

  it("advances a lane past the last id emitted and finishes it when nothing more follows", () => {
    const space = new IdSpace();
    const lane = space.openingLane();
    space.advance(lane, ids(10, 100), true, true);
    expect(lane.pos).toBe(110);
    expect(lane.done).toBe(false);
    space.advance(lane, ids(110, 5), false, false);
    expect(lane.done).toBe(true);
    expect(space.snapshot()).toEqual([]);
  });

  it.each([
    // maxId, ids of the first page, expected split point
    [1_000, ids(0, 100), 550],
    [10_000, ids(0, 100, 10), 5_496],
  ])("splits the lane with most work at its midpoint (max id %i)", (maxId, first, mid) => {
    const space = new IdSpace();
    space.maxId = maxId;
    const lane = space.openingLane();
    space.advance(lane, first, true, true);
    const fresh = space.take("search", rules);
    expect(fresh && [fresh.kind, fresh.pos, fresh.to]).toEqual(["search", mid, Number.POSITIVE_INFINITY]);
    expect(lane.to).toBe(mid);
    // The two lanes tile what is left: nothing read twice, nothing skipped.
    expect(space.snapshot()).toEqual([[(first.at(-1) as number) + 1, null]]);
  });

  it("does not split without a top id, nor a range holding fewer records than the rule", () => {
    const unbounded = new IdSpace();
    const a = unbounded.openingLane();
    unbounded.advance(a, ids(0, 100), true, true);
    expect(unbounded.take("list", rules)).toBeUndefined();

    const small = new IdSpace();
    small.maxId = 105;
    const b = small.openingLane();
    small.advance(b, ids(0, 100), true, true);
    expect(small.take("list", rules)).toBeUndefined();
  });

  it("resumes from saved ranges and hands them out before splitting anything", () => {
    const space = IdSpace.fromSaved([
      [100, 200],
      [500, null],
    ]);
    space.maxId = 10_000;
    const first = space.openingLane();
    expect([first.pos, first.to]).toEqual([100, 200]);
    const second = space.take("list", rules);
    expect(second && [second.pos, second.to]).toEqual([500, Number.POSITIVE_INFINITY]);
    expect(space.snapshot()).toEqual([
      [100, 200],
      [500, null],
    ]);
  });

  it("takes back the range of a lane that read nothing", () => {
    const space = new IdSpace();
    space.maxId = 1_000;
    const opening = space.openingLane();
    space.advance(opening, ids(0, 100), true, true);
    const refused = space.take("search", rules);
    if (!refused) throw new Error("expected a split");
    space.giveBack(refused);
    expect(space.lanes).toEqual([opening]);
    const again = space.take("list", rules);
    expect(again && [again.kind, again.pos, again.to]).toEqual(["list", refused.pos, refused.to]);
  });

  it("estimates work left from the id density seen", () => {
    const space = new IdSpace();
    space.maxId = 10_099;
    const lane = space.openingLane();
    space.advance(lane, ids(0, 100, 10), true, true);
    // 991 ids spanned by 100 records; [991, 10100) left: 919 records.
    expect(Math.round(space.totalRemaining())).toBe(919);
  });
});
