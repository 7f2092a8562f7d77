/**
 * The `per-parent` kind: one read of the child source per id of the parent listing. Parent page n+1 is asked for
 * only once the children of page n were written. A windowed child (web analytics) keeps one cursor per parent,
 * the newest record seen for it, checkpointed after each parent page as `{"<id>": {"<cursorField>": …}}` (the
 * seed connector's shape); pure cores are table-tested.
 */
import { concat, concatMap, defer, EMPTY, type Observable, tap } from "rxjs";
import { cursorMillis } from "../../operators/filter-by-cursor.js";
import { compilePath } from "../../operators/path.js";
import type { Page, Row, StreamState } from "../page.js";
import { PageSequence } from "../page-sequence.js";
import { pageGate, type Ready } from "../pull.js";
import type { EndpointSource, PerParentSource } from "../stream-def.js";
import type { ReadContext, SubRead } from "./context.js";
import { readPaged } from "./paged.js";
import { readWindows } from "./time-windows.js";

/** Whether a source keeps its cursor per parent id. */
export function cursorPerParent(src: EndpointSource): src is PerParentSource {
  return src.kind === "per-parent" && src.child.kind === "time-windows";
}

/** The saved cursors of a per-parent stream. */
export interface ParentCursors {
  /** The one stream-wide cursor of a state saved before cursors were kept per parent: every parent was read up to it. */
  floor?: unknown;
  byParent: Map<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Reads `{"<id>": {"<field>": cursor}, "<field>"?: floor}`; entries without a readable cursor are left out.
 *
 * @example
 * parentCursorsOf({ "7": { occurredAt: "2024-01-02T00:00:00Z" } }, "occurredAt").byParent.get("7"); // "2024-01-02T00:00:00Z"
 */
export function parentCursorsOf(state: StreamState | undefined, field: string): ParentCursors {
  const byParent = new Map<string, unknown>();
  for (const [key, value] of Object.entries(state ?? {})) {
    const cursor = key !== field && isObject(value) ? value[field] : undefined;
    if (cursorMillis(cursor) !== undefined) byParent.set(key, cursor);
  }
  return { floor: state?.[field], byParent };
}

/**
 * Where a parent's window starts: its own cursor, else the floor, less the lookback window, never before start_date.
 *
 * @example
 * parentStart("1970-01-01T00:00:10.000Z", undefined, 0, 3_000); // 7000
 */
export function parentStart(saved: unknown, floor: unknown, startDate: number, lookbackMs: number): number {
  const ms = cursorMillis(saved) ?? cursorMillis(floor);
  return ms === undefined ? startDate : Math.max(startDate, ms - lookbackMs);
}

/** The later of two cursor values (as written), comparing them as epoch ms; an unreadable candidate loses. */
export function laterCursor(current: unknown, candidate: unknown): unknown {
  const c = cursorMillis(candidate);
  if (c === undefined) return current;
  const now = cursorMillis(current);
  return now === undefined || c > now ? candidate : current;
}

/** The checkpoint of a per-parent stream. */
export function perParentState(cursors: ParentCursors, field: string): StreamState {
  const state: StreamState = {};
  if (cursors.floor !== undefined) state[field] = cursors.floor;
  for (const [id, value] of cursors.byParent) state[id] = { [field]: value };
  return state;
}

/** The parent ids of a page, in order; with `seen`, each id only the first time it is listed. */
export function parentIds(records: readonly Row[], idField: string, seen?: Set<string>): unknown[] {
  const ids = records.map((r) => r[idField]).filter((v) => v !== undefined && v !== null);
  if (!seen) return ids;
  return ids.filter((id) => !seen.has(String(id)) && seen.add(String(id)));
}

function readChild(
  src: PerParentSource,
  ctx: ReadContext,
  ready: Ready,
  id: unknown,
  cursors: ParentCursors | undefined,
): Observable<Page> {
  const sub: SubRead = { params: { [src.param]: String(id) }, tag: src.as ? [src.as, id] : undefined };
  const child = src.child;
  if (child.kind !== "time-windows") return readPaged(child, ctx, ready, sub);
  const saved = cursors ?? { byParent: new Map<string, unknown>() };
  const key = String(id);
  const field = ctx.def.cursorField as string;
  const cursorOf = compilePath(field);
  const lo = parentStart(saved.byParent.get(key), saved.floor, ctx.opts.startDate, ctx.opts.lookbackMs);
  let newest = saved.byParent.get(key);
  return concat(
    readWindows(child, ctx, ready, { lo, hi: ctx.now, checkpoint: false, sub }).pipe(
      tap((page) => {
        for (const r of page.records) newest = laterCursor(newest, cursorOf(r));
      }),
    ),
    defer(() => {
      // Only a complete read moves the parent's cursor.
      if (newest !== undefined) saved.byParent.set(key, newest);
      return EMPTY;
    }),
  );
}

export function readPerParent(src: PerParentSource, ctx: ReadContext, ready: Ready): Observable<Page> {
  return defer(() => {
    // The parent's pages are "written" once all their children are: the same gate the pipeline uses for a sink.
    const parentGate = pageGate();
    const seq = new PageSequence(ready);
    const seen = src.dedupe ? new Set<string>() : undefined;
    const field = ctx.def.cursorField as string;
    const cursors = cursorPerParent(src) ? parentCursorsOf(ctx.state, field) : undefined;
    return readPaged(src.parent, ctx, parentGate.ready).pipe(
      concatMap((parentPage) =>
        concat(
          ...parentIds(parentPage.records, src.idField, seen).map((id) =>
            seq.run((r) => readChild(src, ctx, r, id, cursors)),
          ),
          cursors
            ? defer(() => seq.emit({ stream: ctx.def.name, records: [], state: perParentState(cursors, field) }))
            : EMPTY,
          defer(() => {
            parentGate.written();
            return EMPTY;
          }),
        ),
      ),
    );
  });
}
