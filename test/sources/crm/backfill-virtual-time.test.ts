import {
  defer,
  lastValueFrom,
  map,
  type Observable,
  of,
  type SchedulerLike,
  timer,
  toArray,
  VirtualTimeScheduler,
} from "rxjs";
import { describe, expect, it } from "vitest";
import { createRateBudget, rateLimit } from "../../../src/operators/rate-limit.js";
import { crmReadTuning } from "../../../src/sources/crm/backfill.js";
import { readCrmObject } from "../../../src/sources/kinds/crm-object.js";
import type { Row } from "../../../src/sources/page.js";
import type { PropertyCatalog } from "../../../src/sources/properties.js";
import { alwaysReady } from "../../../src/sources/pull.js";
import type { RequestSpec, Transport } from "../../../src/sources/transport.js";

const T0 = Date.parse("2026-11-01T00:00:00.000Z");
const N = 3_000;
const LATENCY_MS = 100;

interface Filter {
  propertyName: string;
  operator: string;
  value: string;
}

/** A HubSpot-shaped portal of N contacts (ids 1…N), answering in virtual time; every request is logged. */
function portal(scheduler: SchedulerLike, countFactor: number) {
  const rec = (id: number): Row => {
    const at = new Date(T0 - (N - id) * 1_000).toISOString();
    return { id: String(id), properties: { hs_lastmodifieddate: at, hs_object_id: String(id) }, updatedAt: at };
  };
  const log: { at: number; spec: RequestSpec; answeredAt?: number }[] = [];
  const answer = (spec: RequestSpec): unknown => {
    if (spec.method === "GET") {
      const after = Number(spec.query?.after ?? 1);
      const ids = Array.from({ length: 100 }, (_, i) => after + i).filter((i) => i <= N);
      const last = ids[ids.length - 1] as number;
      return { results: ids.map(rec), ...(last < N ? { paging: { next: { after: String(last + 1) } } } : {}) };
    }
    const body = spec.json as {
      filterGroups: { filters: Filter[] }[];
      sorts: { propertyName: string; direction: string }[];
      limit: number;
    };
    const filters = body.filterGroups[0]?.filters ?? [];
    let ids = Array.from({ length: N }, (_, i) => i + 1);
    for (const f of filters) {
      const v = Number(f.value);
      const of = (id: number) => (f.propertyName === "hs_object_id" ? id : Date.parse(String(rec(id).updatedAt)));
      if (f.operator === "GTE") ids = ids.filter((id) => of(id) >= v);
      if (f.operator === "LT") ids = ids.filter((id) => of(id) < v);
      if (f.operator === "GT") ids = ids.filter((id) => of(id) > v);
      if (f.operator === "EQ") ids = ids.filter((id) => of(id) === v);
    }
    if (body.sorts[0]?.direction === "DESCENDING") ids.reverse();
    // HubSpot's `total` is a count the scheduler plans with; `countFactor` makes it wrong.
    return { total: Math.round(ids.length * countFactor), results: ids.slice(0, body.limit).map(rec) };
  };
  const budgets = {
    standard: createRateBudget({ name: "ten-secondly", max: 20, windowMs: 10_000, scheduler }),
    search: createRateBudget({ name: "search", max: 5, windowMs: 1_000, scheduler }),
  };
  const transport = {
    budgets,
    request: (spec: RequestSpec): Observable<{ status: number; body: unknown }> => {
      const send = () => {
        const entry = { at: scheduler.now(), spec, answeredAt: undefined as number | undefined };
        log.push(entry);
        spec.onGranted?.();
        return timer(LATENCY_MS, scheduler).pipe(
          map(() => {
            entry.answeredAt = scheduler.now();
            return { status: 200, body: answer(spec) };
          }),
        );
      };
      return spec.budget === "exempt" ? send() : defer(send).pipe(rateLimit(budgets[spec.budget]));
    },
  } as unknown as Transport;
  return { transport, log };
}

const properties = { of: () => of([{ name: "hs_lastmodifieddate", type: "datetime" }]) } as unknown as PropertyCatalog;

describe("the CRM work scheduler in virtual time", () => {
  it.each([
    ["HubSpot's count is right", 1],
    ["HubSpot overstates its count (search reads until the very end)", 3],
  ])(
    "reads every record once through both budgets and catches up only once search's last answer settled, when %s",
    async (_name, countFactor) => {
      const scheduler = new VirtualTimeScheduler();
      const { transport, log } = portal(scheduler, countFactor);
      const source = { kind: "crm-object", objectType: "contacts", modifiedProperty: "hs_lastmodifieddate" } as const;
      const done = lastValueFrom(
        readCrmObject({ transport, stream: "contacts", source, scheduler, warn: () => {} }, properties, alwaysReady, {
          syncMode: "full_refresh",
          startDate: 0,
          lookbackMs: 0,
        }).pipe(toArray()),
      );
      scheduler.flush();
      const rows: Row[] = (await done).flatMap((p) => p.records);

      const ids = rows.map((r) => Number(r.id));
      expect(new Set(ids).size).toBe(N);
      expect(ids.length).toBe(N);
      const isSearch = (e: (typeof log)[number]) => e.spec.method === "POST";
      const byId = (e: (typeof log)[number]) =>
        (e.spec.json as { sorts: { propertyName: string }[] }).sorts[0]?.propertyName === "hs_object_id";
      const ranges = log.filter((e) => isSearch(e) && byId(e) && (e.spec.json as { limit: number }).limit > 1);
      const catchUp = log.filter((e) => isSearch(e) && !byId(e) && (e.spec.json as { limit: number }).limit > 1);
      // Both budgets read records: search ranges (200 a page) beside the list (20 requests per 10 s here).
      expect(ranges.length).toBeGreaterThan(5);
      expect(log.filter((e) => e.spec.method === "GET").length).toBeGreaterThan(5);
      // The catch-up goes out no sooner than the settle time after the last range search was answered.
      const lastAnswer = Math.max(...ranges.map((e) => e.answeredAt as number));
      expect(catchUp.length).toBeGreaterThan(0);
      expect(Math.min(...catchUp.map((e) => e.at))).toBeGreaterThanOrEqual(lastAnswer + crmReadTuning.searchSettleMs);
    },
  );
});
