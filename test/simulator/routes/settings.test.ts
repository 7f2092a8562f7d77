// biome-ignore-all lint/suspicious/noExplicitAny: tests walk JSON response bodies loosely.
import { describe, expect, it } from "vitest";
import { makeFakePortal } from "./fake-portal.js";
import { call } from "./harness.js";

const portal = makeFakePortal();

describe("settings and account", () => {
  it("pages users by after to the end: one per owner plus seat-less users", () => {
    const ids: string[] = [];
    let after = "";
    for (let guard = 0; guard < 20; guard++) {
      const res = call(portal, `/settings/v3/users?limit=2${after ? `&after=${after}` : ""}`);
      ids.push(...res.body.results.map((u: any) => u.id));
      if (!res.body.paging) break;
      after = res.body.paging.next.after;
    }
    expect(ids).toHaveLength(portal.ownerIds().length + 2);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("uses an owner's userId, email and primary team for the matching user", () => {
    const owners = portal.ownerList!(false);
    const first = call(portal, "/settings/v3/users").body.results[0];
    expect(first).toMatchObject({ id: String(owners[0]!.userId), email: owners[0]!.email, primaryTeamId: "77" });
    const bare = makeFakePortal({ withOwnerList: false });
    const users = call(bare, "/settings/v3/users").body.results;
    expect(users).toHaveLength(bare.ownerIds().length + 2);
    expect(users[0].email).toBe("user1@example.com");
  });

  it("describes the account on both endpoints consistently", () => {
    const details = call(portal, "/account-info/v3/details").body;
    const me = call(portal, "/integrations/v1/me").body;
    expect(details.portalId).toBe(62515);
    expect(me).toMatchObject({
      portalId: details.portalId,
      timeZone: details.timeZone,
      currency: details.companyCurrency,
    });
  });
});
