/**
 * The `recent-or-all` kind (v1 engagements): the recent endpoint, filtered by the saved cursor, when it can hold
 * every change; else the full listing (filtered client-side). HubSpot's recent endpoint stops silently at its
 * cap and its `total` may be capped too, so neither a `total` at the cap nor a read that reaches it is trusted.
 */
import { concat, concatMap, defer, EMPTY, type Observable, tap } from "rxjs";
import type { Page } from "../page.js";
import { PageSequence } from "../page-sequence.js";
import type { Ready } from "../pull.js";
import type { RecentOrAllSource } from "../stream-def.js";
import type { ReadContext } from "./context.js";
import { readPaged, targetOf } from "./paged.js";
import { pagingOf } from "./paging.js";

/**
 * Whether the recent endpoint may serve this run: a saved cursor no older than `maxAgeMs`, and a probe counting
 * fewer changes than the endpoint returns at most (a `total` equal to the cap may itself be capped).
 *
 * @example
 * useRecent({ cursorMs: 900, now: 1_000, total: 9_999 }, { maxAgeMs: 500, maxRecords: 10_000 }); // true
 * useRecent({ cursorMs: 900, now: 1_000, total: 10_000 }, { maxAgeMs: 500, maxRecords: 10_000 }); // false
 */
export function useRecent(
  run: { cursorMs?: number; now: number; total?: unknown },
  src: Pick<RecentOrAllSource, "maxAgeMs" | "maxRecords">,
): boolean {
  if (!youngCursor(run.cursorMs, run.now, src.maxAgeMs)) return false;
  return typeof run.total === "number" && run.total < src.maxRecords;
}

const youngCursor = (cursorMs: number | undefined, now: number, maxAgeMs: number): cursorMs is number =>
  cursorMs !== undefined && now - cursorMs <= maxAgeMs;

export function readRecentOrAll(src: RecentOrAllSource, ctx: ReadContext, ready: Ready): Observable<Page> {
  if (!youngCursor(ctx.cursorMs, ctx.now, src.maxAgeMs)) return readPaged(src.all, ctx, ready);
  const probe = targetOf(src.recent, {}, ctx.opts.startDate, ctx.cursorMs);
  const firstOfOne = pagingOf({ ...src.recent, limit: 1 }).request(undefined).query;
  return ctx.opts.transport
    .request<{ total?: unknown }>({
      method: "GET",
      path: probe.path,
      query: { ...probe.query, ...firstOfOne },
      budget: "standard",
    })
    .pipe(
      concatMap((res) => {
        const total = res.body?.total;
        if (!useRecent({ cursorMs: ctx.cursorMs, now: ctx.now, total }, src)) return readPaged(src.all, ctx, ready);
        const seq = new PageSequence(ready);
        let delivered = 0;
        return concat(
          seq.run((r) => readPaged(src.recent, ctx, r).pipe(tap((p) => (delivered += p.records.length)))),
          defer(() => {
            if (delivered < src.maxRecords) return EMPTY;
            ctx.opts.warn(
              `${ctx.def.name}: ${src.recent.path} returned ${delivered} records, its cap; reading ${src.all.path} from the cursor too`,
            );
            return seq.run((r) => readPaged(src.all, ctx, r));
          }),
        );
      }),
    );
}
