import { describe, expect, it } from "vitest";
import { propertyColumn, streamColumns } from "../../src/sources/schema.js";
import { STREAMS } from "../../src/sources/streams.js";

describe("propertyColumn", () => {
  it.each([
    ["number", "amount", "number"],
    ["number", "hs_object_id", "integer"],
    ["number", "associatedcompanyid", "integer"],
    ["string", "hs_object_id", "string"], // only a number property is an integer id
    ["datetime", "closedate", "timestamp"],
    ["date", "birthday", "date"],
    ["bool", "hs_is_unworked", "boolean"],
    ["enumeration", "hubspot_owner_id", "string"], // an enumeration of owner ids: not guaranteed numeric
  ])("types a %s property named %s as %s", (type, name, column) => {
    expect(propertyColumn(type, name)).toBe(column);
  });
});

describe("streamColumns", () => {
  it("declares a CRM record's associations as lists of strings and its record id as an integer", () => {
    const deals = STREAMS.find((d) => d.name === "deals")!;
    const columns = streamColumns(deals, [
      { name: "hs_object_id", type: "number" },
      { name: "amount", type: "number" },
    ]);
    const types = Object.fromEntries((columns ?? []).map((c) => [c.name, c.type]));
    expect(types).toMatchObject({
      id: "string",
      updatedAt: "timestamp",
      properties_hs_object_id: "integer",
      properties_amount: "number",
      contacts: "string[]",
      companies: "string[]",
      line_items: "string[]",
    });
  });
});
