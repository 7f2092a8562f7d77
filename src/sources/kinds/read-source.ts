/** Interprets any non-CRM source of the table: one reader per kind, chosen by `source.kind` (CRM objects: crm-object.ts). */
import type { Observable } from "rxjs";
import type { Page } from "../page.js";
import type { Ready } from "../pull.js";
import type { EndpointSource } from "../stream-def.js";
import type { ReadContext } from "./context.js";
import { readFanOut } from "./fan-out.js";
import { readPaged } from "./paged.js";
import { cursorPerParent, readPerParent } from "./per-parent.js";
import { readRecentOrAll } from "./recent-or-all.js";
import { readTimeWindows } from "./time-windows.js";

export function readSource(src: EndpointSource, ctx: ReadContext, ready: Ready): Observable<Page> {
  switch (src.kind) {
    case "after-paged":
    case "offset-paged":
    case "post-offset":
    case "single":
      return readPaged(src, ctx, ready);
    case "time-windows":
      return readTimeWindows(src, ctx, ready);
    case "per-parent":
      return readPerParent(src, ctx, ready);
    case "fan-out":
      return readFanOut(src, ctx, ready);
    case "recent-or-all":
      return readRecentOrAll(src, ctx, ready);
  }
}

/**
 * Whether the source's reader checkpoints its own position (time windows, per-parent cursors); every other
 * incremental stream checkpoints the newest cursor seen, once it was read completely.
 */
export function checkpointsPosition(src: EndpointSource): boolean {
  return src.kind === "time-windows" || cursorPerParent(src);
}
