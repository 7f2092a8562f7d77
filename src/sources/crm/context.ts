import type { SchedulerLike } from "rxjs";
import type { HttpError } from "../../errors.js";
import type { Row } from "../page.js";
import type { CrmObjectSource } from "../stream-def.js";
import type { Transport } from "../transport.js";
import { attachAssociations } from "./associations.js";
import type { LaneKind } from "./id-space.js";

/** What every part of a CRM object read needs: where, what properties, which clock. */
export interface CrmContext {
  transport: Transport;
  stream: string;
  source: CrmObjectSource;
  /** Every property name of the object (search bodies carry them all). */
  names: readonly string[];
  /** The same names split into URL-safe chunks (list requests). */
  chunks: readonly (readonly string[])[];
  scheduler: SchedulerLike;
  warn(message: string): void;
}

/** Attaches the stream's associations to a page's records; a refused association type is reported once. */
export function associationsOf(ctx: CrmContext, warned: Set<string>) {
  return (records: Row[]) =>
    attachAssociations(
      ctx.transport,
      ctx.source.objectType,
      ctx.source.associations ?? [],
      records,
      (to, err: HttpError) => {
        if (warned.has(to)) return;
        warned.add(to);
        ctx.warn(`${ctx.stream}: associations to ${to} skipped: ${err.message}`);
      },
    );
}

/** Requests one page costs: a list page asks once per property chunk (a search body carries them all). */
export function requestsPerPage(ctx: CrmContext, kind: LaneKind): number {
  return kind === "list" ? Math.max(1, ctx.chunks.length) : 1;
}

/** Pages per ms a budget grants at its current (server-announced) limit. */
export function pagesPerMs(ctx: CrmContext, kind: LaneKind): number {
  const s = ctx.transport.budgets[kind === "list" ? "standard" : "search"].stats();
  return s.max / s.windowMs / requestsPerPage(ctx, kind);
}
