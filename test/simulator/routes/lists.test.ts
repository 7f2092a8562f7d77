// biome-ignore-all lint/suspicious/noExplicitAny: tests walk JSON response bodies loosely.
import { describe, expect, it } from "vitest";
import { listAt, listCount } from "../../../src/simulator/routes/lists-catalog.js";
import { makeFakePortal } from "./fake-portal.js";
import { call } from "./harness.js";

// Enough contacts that some lists exceed one 250-row membership page.
const portal = makeFakePortal({ sizes: { contacts: 2000 } });

describe("POST /crm/v3/lists/search", () => {
  it("pages by offset to the end with total and string ILS ids", () => {
    const ids: string[] = [];
    let offset = 0;
    for (let guard = 0; guard < 50; guard++) {
      const res = call(portal, "/crm/v3/lists/search", { method: "POST", body: { count: 7, offset } });
      expect(res.body.total).toBe(listCount(portal));
      ids.push(...res.body.lists.map((l: any) => l.listId));
      offset = res.body.offset;
      if (!res.body.hasMore) break;
    }
    expect(ids).toHaveLength(listCount(portal));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => typeof id === "string" && /^\d+$/.test(id))).toBe(true);
  });

  it("defaults to 20 lists and the five default additional properties, leaving out the unset ones", () => {
    const res = call(portal, "/crm/v3/lists/search", { method: "POST", body: {} });
    expect(res.body.lists).toHaveLength(Math.min(20, listCount(portal)));
    const props = res.body.lists.map((l: { additionalProperties: Record<string, unknown> }) => l.additionalProperties);
    expect(props.flatMap((p: Record<string, unknown>) => Object.values(p)).includes(null)).toBe(false);
    expect([...new Set(props.flatMap((p: Record<string, unknown>) => Object.keys(p)))].sort()).toEqual([
      "hs_folder_name",
      "hs_last_record_added_at",
      "hs_last_record_removed_at",
      "hs_list_reference_count",
      "hs_list_size",
    ]);
  });

  it("filters by processingTypes", () => {
    const res = call(portal, "/crm/v3/lists/search", {
      method: "POST",
      body: { count: 500, processingTypes: ["DYNAMIC"] },
    });
    expect(res.body.lists.length).toBeGreaterThan(0);
    expect(res.body.lists.every((l: any) => l.processingType === "DYNAMIC")).toBe(true);
    expect(res.body.total).toBeLessThan(listCount(portal));
  });
});

describe("GET /crm/v3/lists/:listId/memberships", () => {
  const lists = Array.from({ length: listCount(portal) }, (_, k) => listAt(portal, k));
  const big = lists.filter((l) => l.size > 250).sort((a, b) => b.size - a.size)[0]!;

  it("pages every member once in numeric recordId order, at most 250 a page", () => {
    const ids: string[] = [];
    let after = "";
    for (let guard = 0; guard < 50; guard++) {
      const res = call(portal, `/crm/v3/lists/${big.listId}/memberships?limit=1000${after ? `&after=${after}` : ""}`);
      expect(res.body.results.length).toBeLessThanOrEqual(250);
      expect(res.body.total).toBe(big.size);
      ids.push(...res.body.results.map((r: any) => r.recordId));
      if (!res.body.paging) break;
      after = res.body.paging.next.after;
    }
    expect(ids).toHaveLength(big.size);
    expect(new Set(ids).size).toBe(ids.length);
    const numeric = [...ids].sort((a, b) => Number(a) - Number(b));
    expect(ids).toEqual(numeric);
    // The fake ids cross digit lengths, so a string sort would differ.
    expect([...ids].sort()).not.toEqual(numeric);
    expect(call(portal, `/crm/v3/lists/${big.listId}/memberships`).body.results).toHaveLength(100);
  });

  it("walks backwards with before", () => {
    const first = call(portal, `/crm/v3/lists/${big.listId}/memberships?limit=10`);
    const second = call(
      portal,
      `/crm/v3/lists/${big.listId}/memberships?limit=10&after=${first.body.paging.next.after}`,
    );
    const back = call(
      portal,
      `/crm/v3/lists/${big.listId}/memberships?limit=10&before=${first.body.paging.next.after}`,
    );
    expect(back.body.results.map((r: any) => r.recordId)).toEqual(
      first.body.results.map((r: any) => r.recordId).reverse(),
    );
    expect(second.body.results[0].recordId).not.toBe(first.body.results[0].recordId);
  });

  it("answers an unknown list with 404 and a bad cursor with 400", () => {
    expect(call(portal, "/crm/v3/lists/999999/memberships").status).toBe(404);
    expect(call(portal, `/crm/v3/lists/${big.listId}/memberships?after=zzz`).status).toBe(400);
  });
});

describe("GET /contacts/v1/lists", () => {
  it("lists only contact lists, with has-more paging", () => {
    const contactLists = Array.from({ length: listCount(portal) }, (_, k) => listAt(portal, k)).filter(
      (l) => l.objectTypeId === "0-1",
    );
    const ids: number[] = [];
    let offset = 0;
    for (let guard = 0; guard < 50; guard++) {
      const res = call(portal, `/contacts/v1/lists?count=4&offset=${offset}`);
      ids.push(...res.body.lists.map((l: any) => l.listId));
      offset = res.body.offset;
      if (!res.body["has-more"]) break;
    }
    expect(ids).toEqual(contactLists.map((l) => l.legacyId));
  });

  it("serves at most 250 however many are asked for", () => {
    expect(call(portal, "/contacts/v1/lists?count=999").body.offset).toBe(250);
    expect(call(portal, "/contacts/v1/lists").body.offset).toBe(20);
  });
});
