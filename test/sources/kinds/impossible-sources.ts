/**
 * Combinations the table cannot express, checked by `npm run typecheck`: each `@ts-expect-error` fails the
 * typecheck the day the line compiles. (The old optional-feature source silently dropped one of two features.)
 */
import type { EndpointSource } from "../../../src/sources/stream-def.js";

const page = { kind: "after-paged", path: "/x", recordsPath: "results", limit: 10 } as const;
const since = { param: "since", format: "ms" } as const;

export const IMPOSSIBLE: EndpointSource[] = [
  // A time window brings its own bounds: its inner source cannot also filter by the saved cursor.
  // @ts-expect-error since inside time-windows
  { kind: "time-windows", startParam: "a", endParam: "b", format: "ms", inner: { ...page, since } },
  // A per-parent child is one endpoint (or its windows), never another per-parent read.
  {
    kind: "per-parent",
    parent: page,
    idField: "id",
    param: "id",
    // @ts-expect-error per-parent inside per-parent
    child: { kind: "per-parent", parent: page, idField: "id", param: "id", child: page },
  },
  // A parent listing is read for its ids only: no detail calls.
  {
    kind: "per-parent",
    // @ts-expect-error detail on a parent listing
    parent: { ...page, detail: { path: "/d/{id}", idField: "id", param: "id", concurrency: 1 } },
    idField: "id",
    param: "id",
    child: page,
  },
  // The recent endpoint needs a since bound and paging.
  // @ts-expect-error recent without since
  { kind: "recent-or-all", recent: page, all: page, maxAgeMs: 1, maxRecords: 1 },
  // @ts-expect-error a body-paged search is a POST
  { kind: "post-offset", method: "GET", path: "/s", recordsPath: "lists", count: 1 },
  // A fan-out reads one endpoint per value, not windows of it.
  {
    kind: "fan-out",
    values: [],
    param: "p",
    as: "p",
    // @ts-expect-error fan-out over windows
    inner: { kind: "time-windows", startParam: "a", endParam: "b", format: "ms", inner: page },
  },
];
