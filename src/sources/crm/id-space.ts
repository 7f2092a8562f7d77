/**
 * The pure core of the CRM work scheduler: a CRM object's id line as ranges, each read by one lane (a list pager
 * on the 10-s budget or a keyset search pager on the search budget), split so that idle budget gets work.
 * No I/O and no clock: the driver (backfill.ts) feeds it pages and asks it what to do. Table-tested.
 *
 * ```
 * ids  0 ──────────────────────────────────────────────── maxId ─▶ (created during the read)
 *      [list 0 ▸▸▸    )[search 1 ▸▸▸▸  )[list 2 ▸▸     )[list 3 ▸▸▸▸▸▸▸▸▸▸▸▸▸▸▸▸▸▸▸▸▸▸▸
 * ```
 */

export type LaneKind = "list" | "search";

/** A half-open id range [from, to); `to` is Infinity for the top of the id line. */
export type IdRange = readonly [from: number, to: number];

/** A range as saved in state (JSON has no Infinity: null is the top). */
export type SavedRange = [from: number, to: number | null];

export interface Lane {
  readonly id: number;
  readonly kind: LaneKind;
  /** Next id to read (inclusive): every record of the lane below it was emitted. */
  pos: number;
  /** Exclusive upper bound; shrinks when another lane takes the upper part. */
  to: number;
  /** A list lane's next cursor as the list endpoint returned it (undefined: start at `pos`). */
  after?: string;
  /** Ids spanned per record by the lane's latest full page (ids are spread unevenly). */
  density?: number;
  /** No page left to ask for. */
  done: boolean;
}

export interface SplitRules {
  /** A lane is split only when it holds at least this many records (a split costs about one short page). */
  minRecordsToSplit: number;
}

/** Remaining work of one CRM object's read: lanes (owned ranges) and ranges no lane owns yet (a resume). */
export class IdSpace {
  readonly lanes: Lane[] = [];
  private readonly pool: [number, number][];
  private nextLane = 0;
  /** Highest live id when the read started (search probe); bounds the top lane's work estimate. */
  maxId?: number;
  private spanIds = 0;
  private spanRecords = 0;

  constructor(ranges: readonly IdRange[] = [[0, Number.POSITIVE_INFINITY]]) {
    this.pool = ranges.filter(([from, to]) => from < to).map(([from, to]) => [from, to]);
  }

  static fromSaved(saved: readonly SavedRange[]): IdSpace {
    return new IdSpace(saved.map(([from, to]) => [from, to ?? Number.POSITIVE_INFINITY]));
  }

  /** The first lane: a list pager over the first range (all ids on a fresh read). */
  openingLane(): Lane {
    const range = this.pool.shift() ?? [0, Number.POSITIVE_INFINITY];
    return this.open("list", range[0], range[1]);
  }

  /** Records a lane's emitted page: where it continues, the id density seen, whether it is done. */
  advance(lane: Lane, ids: readonly number[], full: boolean, more: boolean): void {
    const last = ids[ids.length - 1];
    if (last !== undefined) lane.pos = Math.max(lane.pos, last + 1);
    if (full && ids.length > 1) {
      const span = (ids[ids.length - 1] as number) - (ids[0] as number) + 1;
      lane.density = span / ids.length;
      this.spanIds += span;
      this.spanRecords += ids.length;
    }
    if (!more || lane.pos >= lane.to) lane.done = true;
  }

  /** Estimated records left in a lane. */
  remaining(lane: Lane): number {
    if (lane.done) return 0;
    return this.recordsIn(lane.pos, lane.to, lane.density);
  }

  /** Estimated records left in the whole read. */
  totalRemaining(): number {
    let n = 0;
    for (const l of this.lanes) n += this.remaining(l);
    for (const [from, to] of this.pool) n += this.recordsIn(from, to);
    return n;
  }

  private recordsIn(from: number, to: number, density?: number): number {
    const top = Number.isFinite(to) ? to : this.maxId === undefined ? Number.NaN : this.maxId + 1;
    const ids = top - from;
    const perRecord = density ?? (this.spanRecords ? this.spanIds / this.spanRecords : undefined);
    if (!Number.isFinite(ids) || ids <= 0 || !perRecord) return 0;
    return ids / perRecord;
  }

  /**
   * A new lane of `kind`: an unowned range if there is one, else the upper half of the lane with the most work
   * left (which keeps the lower half). Undefined when nothing is worth splitting.
   */
  take(kind: LaneKind, rules: SplitRules): Lane | undefined {
    const pooled = this.pool.shift();
    if (pooled) return this.open(kind, pooled[0], pooled[1]);
    let best: Lane | undefined;
    for (const l of this.lanes) {
      if (l.done) continue;
      if (!best || this.remaining(l) > this.remaining(best)) best = l;
    }
    if (!best || this.remaining(best) < rules.minRecordsToSplit) return undefined;
    const top = Number.isFinite(best.to) ? best.to : (this.maxId as number) + 1;
    const mid = best.pos + Math.floor((top - best.pos) / 2);
    if (mid <= best.pos) return undefined;
    const fresh = this.open(kind, mid, best.to);
    best.to = mid;
    return fresh;
  }

  /** A lane given up before it read anything (its budget refused): its range goes back to the pool. */
  giveBack(lane: Lane): void {
    const i = this.lanes.indexOf(lane);
    if (i >= 0) this.lanes.splice(i, 1);
    if (!lane.done && lane.pos < lane.to) this.pool.push([lane.pos, lane.to]);
  }

  /** Lanes still reading, and ranges waiting for one. */
  get busy(): boolean {
    return this.pool.length > 0 || this.lanes.some((l) => !l.done);
  }

  /** Every range not yet read, for a checkpoint: a resumed read starts from these. */
  snapshot(): SavedRange[] {
    const open: [number, number][] = [
      ...this.lanes.filter((l) => !l.done && l.pos < l.to).map((l): [number, number] => [l.pos, l.to]),
      ...this.pool,
    ];
    open.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const r of open) {
      const prev = merged[merged.length - 1];
      if (prev && prev[1] >= r[0]) prev[1] = Math.max(prev[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    return merged.map(([from, to]) => [from, Number.isFinite(to) ? to : null]);
  }

  private open(kind: LaneKind, from: number, to: number): Lane {
    const lane: Lane = { id: this.nextLane++, kind, pos: from, to, done: false };
    this.lanes.push(lane);
    return lane;
  }
}
