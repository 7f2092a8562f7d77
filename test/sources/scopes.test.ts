import { afterEach, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { acceptedScopeSets, missingScopes } from "../../src/sources/scopes.js";
import { customObjectStream, STREAMS } from "../../src/sources/streams.js";
import { syncFrom } from "../helpers/sync.js";

const stream = (name: string) => {
  const def = STREAMS.find((s) => s.name === name);
  if (!def) throw new Error(`no stream ${name}`);
  return def;
};

describe("missingScopes", () => {
  it.each([
    ["tickets", ["tickets"], []],
    ["tickets", ["crm.objects.tickets.read"], []],
    ["tickets", ["crm.objects.contacts.read"], ["tickets"]],
    ["products", ["crm.objects.products.read"], []],
    ["products", [], ["e-commerce"]],
    ["line_items", ["crm.objects.line_items.read"], []],
    ["marketing_emails", ["marketing.email.read"], []],
    ["marketing_emails", ["content"], []],
    ["marketing_emails", ["forms"], ["content"]],
    ["owners", ["automation"], []],
    ["owners", ["crm.objects.owners.read"], []],
    ["owners", ["crm.objects.contacts.read"], ["crm.objects.owners.read"]],
    ["users", ["settings.users.read"], []],
    ["users", ["crm.objects.users.read"], []],
    ["users", [], ["crm.objects.users.read", "settings.users.read"]],
    ["engagements_emails", ["crm.objects.contacts.read"], []],
    ["engagements_emails", [], ["crm.objects.contacts.read", "sales-email-read"]],
    ["deal_pipelines", ["crm.objects.deals.read"], []],
    ["contacts_web_analytics", ["crm.objects.contacts.read", "oauth"], []],
    ["contacts_web_analytics", ["oauth"], ["crm.objects.contacts.read", "business-intelligence"]],
    ["contacts", [], ["crm.objects.contacts.read"]],
    ["properties", [], []],
  ])("%s with %j granted lacks %j", (name, granted, missing) => {
    expect(missingScopes(stream(name), new Set(granted))).toEqual(missing);
  });

  it("assumes nothing is missing when the granted scopes are unknown", () => {
    expect(missingScopes(stream("contacts"), undefined)).toEqual([]);
  });

  it("accepts a custom object stream with a sensitive-data custom-object scope", () => {
    const def = customObjectStream({ name: "cars", objectTypeId: "2-123" }, new Set());
    expect(missingScopes(def, new Set(["crm.objects.custom.sensitive.read.v2"]))).toEqual([]);
    expect(missingScopes(def, new Set(["crm.objects.contacts.read"]))).toEqual(["crm.objects.custom.read"]);
  });

  it("keeps every stream's documented scopes as its first accepted set", () => {
    for (const def of STREAMS) expect(acceptedScopeSets(def)[0]).toEqual(def.scopes);
  });
});

describe("granular scopes against the simulator", () => {
  let sim: SimulatorHandle | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it.each([
    ["marketing_emails", ["marketing.email.read"]],
    ["owners", ["automation"]],
    ["products", ["crm.objects.products.read"]],
    ["users", ["settings.users.read"]],
  ])("reads %s with a token holding only %j", async (name, scopes) => {
    sim = await startSimulator({ seed: 31, scale: "small", rateLimits: false });
    const run = await syncFrom(sim, {
      streams: [name],
      mode: "full_refresh",
      credentials: { access_token: sim.issueToken(scopes) },
    });
    expect(run.summaries.find((s) => s.stream === name)?.status).toBe("complete");
    expect(run.sink.rows(name).length).toBeGreaterThan(0);
  });

  it("skips marketing_emails for a token with none of its scopes, naming the documented scope", async () => {
    sim = await startSimulator({ seed: 31, scale: "small", rateLimits: false });
    const run = await syncFrom(sim, {
      streams: ["marketing_emails"],
      mode: "full_refresh",
      credentials: { access_token: sim.issueToken(["forms"]) },
    });
    expect(run.summaries.find((s) => s.stream === "marketing_emails")?.status).toBe("skipped");
    expect(run.logs.some((l) => l.includes("marketing_emails") && l.includes("content"))).toBe(true);
    expect(run.sink.rows("marketing_emails")).toEqual([]);
  });
});
