import { describe, expect, it } from "vitest";
import { startTestSim } from "./sim-helpers.js";

const PATHS = [
  "/crm/v3/objects/contacts?limit=100&properties=email,firstname,lifecyclestage,hs_buying_role&associations=companies",
  "/crm/v3/objects/emails?limit=20&properties=hs_email_html,hs_email_to_email,hs_email_cc_email",
  "/crm/v3/objects/deals?archived=true&propertiesWithHistory=dealstage",
  "/crm/v3/properties/contacts",
  "/crm/v3/schemas",
  "/crm/v3/owners",
  "/crm-pipelines/v1/pipelines/deals",
];

async function snapshot(seed: number): Promise<string[]> {
  const sim = await startTestSim({ seed });
  const out: string[] = [];
  for (const p of PATHS) out.push(await (await sim.get(p)).text());
  const ids = [0, 1, 2].map((k) => ({ id: sim.portal.idAt("contacts", k)! }));
  out.push(await (await sim.post("/crm/v4/associations/contacts/deals/batch/read", { inputs: ids })).text());
  out.push(
    await (await sim.post("/crm/v3/objects/calls/search", { limit: 50, sorts: ["-hs_lastmodifieddate"] })).text(),
  );
  out.push(await (await sim.get("/crm/v3/objects/contacts/1")).text()); // error body incl. correlation id
  await sim.close();
  // paging.next.link carries the simulator's own origin (random port); everything else must match byte for byte.
  return out.map((t) => t.split(sim.url).join("BASE"));
}

describe("determinism", () => {
  it("serves identical bytes for the same seed and different bytes for another seed", async () => {
    const a = await snapshot(21);
    const b = await snapshot(21);
    const c = await snapshot(22);
    expect(a).toEqual(b);
    expect(a.join("").includes("BASE/crm/v3/objects/contacts?")).toBe(true);
    expect(a[0]).not.toEqual(c[0]);
  });
});
