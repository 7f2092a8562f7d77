import { describe, expect, it } from "vitest";
import { missingScopes } from "../src/pipeline.js";
import { STREAMS } from "../src/sources/streams.js";

const stream = (name: string) => STREAMS.find((s) => s.name === name) as (typeof STREAMS)[number];

describe("missingScopes", () => {
  it.each([
    ["tickets", ["tickets"], []],
    ["tickets", ["crm.objects.tickets.read"], []],
    ["tickets", ["crm.objects.contacts.read"], ["tickets"]],
    ["products", ["crm.objects.products.read"], []],
    ["engagements_emails", ["crm.objects.contacts.read"], ["sales-email-read"]],
    ["contacts", [], ["crm.objects.contacts.read"]],
  ])("%s with %j granted lacks %j", (name, granted, missing) => {
    expect(missingScopes(stream(name), new Set(granted))).toEqual(missing);
  });

  it("assumes nothing is missing when the granted scopes are unknown", () => {
    expect(missingScopes(stream("contacts"), undefined)).toEqual([]);
  });
});
