import { describe, expect, it } from "vitest";
import {
  applyTransforms,
  explodeHistory,
  flattenEngagement,
  flattenField,
  legacyNameOf,
  withLegacyNames,
} from "../../src/sources/transforms.js";

describe("flattenField", () => {
  it.each([
    [
      "copies keys with the field's prefix, keeps the original",
      { id: 1, counters: { sent: 5, open: 2 } },
      ["counters"] as const,
      { id: 1, counters: { sent: 5, open: 2 }, counters_sent: 5, counters_open: 2 },
    ],
    [
      "custom prefix and remove (web analytics)",
      { id: "e", properties: { hs_url: "u" } },
      ["properties", "properties_", true] as const,
      { id: "e", properties_hs_url: "u" },
    ],
    ["missing field: unchanged", { id: 1 }, ["counters"] as const, { id: 1 }],
    ["non-object field: unchanged", { id: 1, counters: [1] }, ["counters"] as const, { id: 1, counters: [1] }],
  ])("%s", (_name, row, args, want) => {
    const [field, prefix, remove] = args as unknown as [string, string | undefined, boolean | undefined];
    expect(flattenField(row, field, prefix, remove)).toEqual(want);
  });

  it("does not mutate its input", () => {
    const row = { properties: { a: 1 } };
    flattenField(row, "properties", "properties_", true);
    expect(row).toEqual({ properties: { a: 1 } });
  });
});

describe("flattenEngagement", () => {
  it("lifts engagement.* to the root and copies associations_* and metadata_*", () => {
    const row = {
      engagement: { id: 7, type: "EMAIL", lastUpdated: 1_700_000_000_000 },
      associations: { contactIds: [1, 2], dealIds: [] },
      metadata: { subject: "Hi", to: [{ email: "a@b.c" }] },
      attachments: [],
    };
    expect(flattenEngagement(row)).toEqual({
      id: 7,
      type: "EMAIL",
      lastUpdated: 1_700_000_000_000,
      associations: { contactIds: [1, 2], dealIds: [] },
      metadata: { subject: "Hi", to: [{ email: "a@b.c" }] },
      attachments: [],
      associations_contactIds: [1, 2],
      associations_dealIds: [],
      metadata_subject: "Hi",
      metadata_to: [{ email: "a@b.c" }],
    });
  });

  it("keeps a record without an engagement object", () => {
    expect(flattenEngagement({ metadata: { body: "x" } })).toEqual({ metadata: { body: "x" }, metadata_body: "x" });
  });
});

describe("explodeHistory", () => {
  const record = {
    id: "1234",
    archived: false,
    propertiesWithHistory: {
      pilot: [
        {
          value: "rei_ayanami",
          timestamp: "2022-08-04T15:57:22.188Z",
          sourceType: "MIGRATION",
          sourceId: "0",
          updatedByUserId: 987,
        },
        { value: "shinji", timestamp: "2022-08-03T10:00:00.000Z", sourceType: "CRM_UI", sourceLabel: "x" },
      ],
      hs_lastmodifieddate: [{ value: "…", timestamp: "2022-08-04T15:57:22.188Z", sourceType: "CALCULATED" }],
      empty: [],
    },
  };

  it("v3: one row per version, the reference's shape, epoch-ms timestamps, hs_lastmodifieddate skipped", () => {
    expect(explodeHistory(record, "dealId", "v3", ["hs_lastmodifieddate"])).toEqual([
      {
        value: "rei_ayanami",
        timestamp: Date.parse("2022-08-04T15:57:22.188Z"),
        sourceType: "MIGRATION",
        sourceId: "0",
        updatedByUserId: 987,
        property: "pilot",
        dealId: "1234",
        archived: false,
      },
      {
        value: "shinji",
        timestamp: Date.parse("2022-08-03T10:00:00.000Z"),
        sourceType: "CRM_UI",
        sourceLabel: "x",
        property: "pilot",
        dealId: "1234",
        archived: false,
      },
    ]);
  });

  it("contacts: kebab-case keys, epoch-ms timestamp, numeric vid, camelCase originals gone", () => {
    const rows = explodeHistory(record, "vid", "contacts", ["hs_lastmodifieddate"]);
    expect(rows[0]).toEqual({
      value: "rei_ayanami",
      timestamp: Date.parse("2022-08-04T15:57:22.188Z"),
      "source-type": "MIGRATION",
      "source-id": "0",
      "updated-by-user-id": 987,
      property: "pilot",
      vid: 1234,
      archived: false,
    });
    expect(rows[1]?.["source-label"]).toBe("x");
    expect(rows.every((r) => !("sourceType" in r) && !("sourceId" in r))).toBe(true);
  });

  it.each([
    ["an epoch-ms number", 1_659_628_642_188, 1_659_628_642_188],
    ["an epoch-ms string", "1659628642188", 1_659_628_642_188],
    ["an unreadable one, kept as sent", "soon", "soon"],
  ])("writes %s timestamp as integer epoch ms where it can", (_name, timestamp, want) => {
    const rows = explodeHistory(
      { id: "1", propertiesWithHistory: { p: [{ value: "v", timestamp }] } },
      "dealId",
      "v3",
      [],
    );
    expect(rows[0]?.timestamp).toBe(want);
  });

  it("a record without history yields nothing", () => {
    expect(explodeHistory({ id: "1" }, "dealId", "v3", [])).toEqual([]);
  });
});

describe("legacy names", () => {
  const DEALS = [
    { prefix: "hs_v2_date_entered_", legacy: "hs_date_entered_{}" },
    { prefix: "hs_v2_date_exited_", legacy: "hs_date_exited_{}" },
    { prefix: "hs_v2_latest_time_in_", legacy: "hs_time_in_{}" },
  ];
  const CONTACTS = [{ prefix: "hs_v2_date_entered_", legacy: "hs_lifecyclestage_{}_date" }];

  it.each([
    ["deal stage entered", "hs_v2_date_entered_closedwon", DEALS, "hs_date_entered_closedwon"],
    ["deal stage exited", "hs_v2_date_exited_123", DEALS, "hs_date_exited_123"],
    ["time in stage", "hs_v2_latest_time_in_123", DEALS, "hs_time_in_123"],
    ["contact lifecycle stage", "hs_v2_date_entered_lead", CONTACTS, "hs_lifecyclestage_lead_date"],
    ["a name that was not renamed", "hs_v2_cumulative_time_in_lead", DEALS, undefined],
    ["the bare prefix", "hs_v2_date_entered_", DEALS, undefined],
  ])("%s: %s → %s", (_name, name, names, want) => {
    expect(legacyNameOf(name, names)).toBe(want);
  });

  it("copies renamed properties to their legacy names, never overwriting a value HubSpot sent", () => {
    const row = {
      id: "1",
      properties: {
        hs_v2_date_entered_lead: "2024-01-01T00:00:00Z",
        hs_v2_date_entered_customer: "2024-02-01T00:00:00Z",
        hs_lifecyclestage_customer_date: "2023-12-31T00:00:00Z",
        hs_v2_date_entered_other: "2024-03-01T00:00:00Z",
        hs_lifecyclestage_other_date: null,
        email: "a@b.c",
      },
    };
    expect(withLegacyNames(row, CONTACTS).properties).toEqual({
      ...row.properties,
      hs_lifecyclestage_lead_date: "2024-01-01T00:00:00Z",
      hs_lifecyclestage_other_date: "2024-03-01T00:00:00Z",
    });
    expect(row.properties).not.toHaveProperty("hs_lifecyclestage_lead_date");
  });

  it("keeps a record without properties as it is", () => {
    const row = { id: "1" };
    expect(withLegacyNames(row, DEALS)).toBe(row);
  });
});

describe("applyTransforms", () => {
  it("applies transforms in order and may change the row count", () => {
    const rows = applyTransforms(
      [
        {
          id: "1",
          propertiesWithHistory: {
            a: [
              { value: "x", timestamp: "t1" },
              { value: "y", timestamp: "t0" },
            ],
          },
        },
        { id: "2", propertiesWithHistory: {} },
      ],
      [
        { kind: "property-history", idAs: "companyId", style: "v3", skip: [] },
        { kind: "flatten", field: "nothing" },
      ],
    );
    expect(rows.map((r) => [r.companyId, r.value])).toEqual([
      ["1", "x"],
      ["1", "y"],
    ]);
  });
});
