/** The `fan-out` kind: one read of the inner source per value, in order, each record tagged with its value. */
import { concat, type Observable } from "rxjs";
import type { Page } from "../page.js";
import { PageSequence } from "../page-sequence.js";
import type { Ready } from "../pull.js";
import type { FanOutSource } from "../stream-def.js";
import type { ReadContext } from "./context.js";
import { readPaged } from "./paged.js";

export function readFanOut(src: FanOutSource, ctx: ReadContext, ready: Ready): Observable<Page> {
  const seq = new PageSequence(ready);
  return concat(
    ...src.values.map((value) =>
      seq.run((r) => readPaged(src.inner, ctx, r, { params: { [src.param]: value }, tag: [src.as, value] })),
    ),
  );
}
