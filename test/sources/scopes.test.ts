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

describe("every accepted scope set against the simulator", () => {
  // The documented sets are what every other test's all-scope token covers; these are the spec-derived ones.
  // Web analytics streams (experimental, one events read per parent record) are covered by the check below.
  const cases = STREAMS.filter((def) => !def.experimental).flatMap((def) =>
    acceptedScopeSets(def)
      .slice(1)
      .map((set) => [def.name, [...set]] as const),
  );

  it(`reads each stream with a token holding only one of its other accepted sets (${cases.length} cases)`, async () => {
    const sim = await startSimulator({ seed: 32, scale: "small", rateLimits: false, counts: { contacts: 40 } });
    try {
      const skipped: string[] = [];
      for (const [name, scopes] of cases) {
        const run = await syncFrom(sim, {
          streams: [name],
          mode: "full_refresh",
          credentials: { access_token: sim.issueToken([...scopes]) },
        });
        const summary = run.summaries.find((s) => s.stream === name);
        if (summary?.status !== "complete" || run.errors.length) {
          skipped.push(`${name} ${JSON.stringify(scopes)}: ${summary?.reason}`);
        }
      }
      expect(skipped).toEqual([]);
    } finally {
      await sim.close();
    }
  });

  it("serves web analytics events to a token holding only the events spec's oauth scope", async () => {
    const sim = await startSimulator({ seed: 33, scale: "small", rateLimits: false });
    try {
      const auth = { authorization: `Bearer ${sim.issueToken(["crm.objects.contacts.read", "oauth"])}` };
      const contacts = await fetch(`${sim.url}/crm/v3/objects/contacts?limit=1`, { headers: auth });
      const { results } = (await contacts.json()) as { results: { id: string }[] };
      const events = await fetch(`${sim.url}/events/v3/events?objectType=contact&objectId=${results[0]!.id}`, {
        headers: auth,
      });
      expect(events.status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});
