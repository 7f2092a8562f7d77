/** Records modified since a time, through search keyset-paged on the modification time (see modified-keyset.ts). */
import { concatMap, defer, map, type Observable } from "rxjs";
import type { Page, Row } from "../page.js";
import { pullPages, type Ready, type Step } from "../pull.js";
import { associationsOf, type CrmContext } from "./context.js";
import { resultsArray } from "./list-page.js";
import {
  cursorStart,
  modifiedMillis,
  SEARCH_PAGE_SIZE,
  type SearchCursor,
  searchBody,
  searchCheckpoint,
  stepSearch,
} from "./modified-keyset.js";

export interface SinceOptions {
  /** The state a page carries, given the modified-time checkpoint after it (undefined: no state). */
  stateOf?: (checkpoint: { updatedAt: string; drainAfterId?: string }) => Record<string, unknown> | undefined;
  total?: number;
  /** Versions already delivered (id → modification ms): not delivered again. */
  delivered?: ReadonlyMap<string, number>;
}

/** Every record modified at or after the cursor's start, each page checkpointing where the next read must start. */
export function readModifiedSince(
  ctx: CrmContext,
  ready: Ready,
  from: SearchCursor,
  o: SinceOptions = {},
): Observable<Page> {
  const property = ctx.source.modifiedProperty;
  const withAssociations = associationsOf(ctx, new Set());
  return defer(() => {
    let newest = cursorStart(from);
    const step = (cursor: SearchCursor): Observable<Step<SearchCursor>> =>
      ctx.transport
        .request<{ results?: Row[]; paging?: { next?: unknown } }>({
          method: "POST",
          path: `/crm/v3/objects/${ctx.source.objectType}/search`,
          json: searchBody(cursor, property, ctx.names, SEARCH_PAGE_SIZE),
          budget: "search",
          validate: resultsArray,
        })
        .pipe(
          concatMap((res) => {
            const s = stepSearch(cursor, res.body?.results ?? [], property, SEARCH_PAGE_SIZE, !!res.body?.paging?.next);
            if (s.maxModified !== undefined && s.maxModified > newest) newest = s.maxModified;
            const delivered = o.delivered;
            const fresh = delivered
              ? s.fresh.filter((r) => delivered.get(String(r.id)) !== modifiedMillis(r, property))
              : s.fresh;
            return withAssociations(fresh).pipe(
              map((rows) => {
                const page: Page = { stream: ctx.stream, records: rows };
                const state = o.stateOf?.(searchCheckpoint(s.next, newest));
                if (state) page.state = state;
                if (o.total !== undefined) page.total = o.total;
                return { page, next: s.next };
              }),
            );
          }),
        );
    return pullPages(from, step, ready);
  });
}
