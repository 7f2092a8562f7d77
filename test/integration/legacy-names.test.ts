import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { HubSpotSource } from "../../src/source.js";
import type { Row } from "../../src/sources/page.js";
import { type SyncResult, syncFrom } from "../helpers/sync.js";

let sim: SimulatorHandle;
let run: SyncResult;
beforeAll(async () => {
  sim = await startSimulator({ seed: 61, scale: "small", rateLimits: false });
  run = await syncFrom(sim, { streams: ["contacts", "deals"], mode: "full_refresh" });
}, 120_000);
afterAll(() => sim.close());

const props = (r: Row) => r.properties as Record<string, unknown>;

describe("legacy names of HubSpot's renamed hs_v2 properties (as the seed connector emits them)", () => {
  it.each([
    ["contacts", "hs_v2_date_entered_lead", "hs_lifecyclestage_lead_date"],
    ["deals", "hs_v2_date_entered_closedwon", "hs_date_entered_closedwon"],
    ["deals", "hs_v2_date_exited_appointmentscheduled", "hs_date_exited_appointmentscheduled"],
    ["deals", "hs_v2_latest_time_in_appointmentscheduled", "hs_time_in_appointmentscheduled"],
  ])("%s: %s is copied to %s, nested and unnested, cast alike", (stream, renamed, legacy) => {
    const rows = run.sink.rows(stream);
    expect(rows.filter((r) => props(r)[renamed] != null).length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(props(r)[legacy]).toEqual(props(r)[renamed]);
      expect(r[`properties_${legacy}`]).toEqual(r[`properties_${renamed}`]);
    }
  });

  it("never overwrites a value HubSpot sent under the old name", () => {
    const rows = run.sink.rows("contacts");
    const both = rows.filter(
      (r) => props(r).hs_lifecyclestage_customer_date != null && props(r).hs_v2_date_entered_customer != null,
    );
    expect(both.length).toBeGreaterThan(0);
    expect(both.some((r) => props(r).hs_lifecyclestage_customer_date !== props(r).hs_v2_date_entered_customer)).toBe(
      true,
    );
  });

  it("adds the legacy names to the discovered schema with the renamed property's type", async () => {
    const { config } = parseConfig({
      credentials: { access_token: sim.credentials.privateAppToken },
      base_url: sim.url,
    });
    const source = new HubSpotSource(config, { log: () => {} });
    try {
      const streams = await source.discover();
      const deals = streams.find((s) => s.name === "deals")?.json_schema as { properties: Record<string, unknown> };
      expect(deals.properties.properties_hs_time_in_appointmentscheduled).toEqual(
        deals.properties.properties_hs_v2_latest_time_in_appointmentscheduled,
      );
      const nested = (deals.properties.properties as { properties: Record<string, unknown> }).properties;
      expect(nested.hs_date_entered_closedwon).toEqual(nested.hs_v2_date_entered_closedwon);
    } finally {
      source.close();
    }
  });
});
