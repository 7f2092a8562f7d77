import { afterEach, describe, expect, it } from "vitest";
import type { Row } from "../../src/sources/page.js";
import { STREAMS } from "../../src/sources/streams.js";
import type { Transport } from "../../src/sources/transport.js";
import { readAll, readOptions } from "../helpers/fake-transport.js";
import { type StubRequest, type StubServer, startStub, stubTransport } from "../helpers/stub-server.js";

const stream = (name: string) => STREAMS.find((s) => s.name === name) as (typeof STREAMS)[number];

let stub: StubServer | undefined;
let transport: Transport | undefined;
afterEach(async () => {
  transport?.close();
  await stub?.close();
  stub = transport = undefined;
});

async function serve(handler: (req: StubRequest) => unknown) {
  stub = await startStub(handler);
  transport = stubTransport(stub);
  return { stub, transport };
}

const owners = (from: number, n: number): Row[] =>
  Array.from({ length: n }, (_, i) => ({ id: String(from + i), updatedAt: "2024-01-01T00:00:00.000Z" }));

describe("paging that never ends fails the stream instead of looping", () => {
  it("owners: an after token that repeats", async () => {
    const { stub, transport } = await serve(() => ({ results: owners(1, 2), paging: { next: { after: "2" } } }));
    await expect(readAll(stream("owners"), readOptions(transport))).rejects.toMatchObject({
      code: "PAGING_STUCK",
      kind: "api",
    });
    expect(stub.requests.length).toBe(2);
  });

  it("engagements: an offset that goes back to an earlier page", async () => {
    const offsets: Record<string, number> = { "": 250, "250": 500, "500": 250 };
    const { stub, transport } = await serve((req) => ({
      results: [{ engagement: { id: Number(req.query.get("offset") ?? 0) + 1, lastUpdated: 1 } }],
      hasMore: true,
      offset: offsets[req.query.get("offset") ?? ""],
    }));
    await expect(readAll(stream("engagements"), readOptions(transport))).rejects.toMatchObject({
      code: "PAGING_STUCK",
    });
    expect(stub.requests.length).toBe(3);
  });

  it("contact_lists: a body offset that does not move", async () => {
    const { stub, transport } = await serve(() => ({ lists: [{ listId: "1" }], hasMore: true, offset: 0 }));
    await expect(readAll(stream("contact_lists"), readOptions(transport))).rejects.toMatchObject({
      code: "PAGING_STUCK",
    });
    expect(stub.requests.length).toBe(2);
  });

  it("email_events: an opaque offset repeating inside a time window", async () => {
    const { stub, transport } = await serve(() => ({ events: [{ id: "e", created: 1 }], hasMore: true, offset: "CK" }));
    const opts = readOptions(transport, { startDate: Date.now() - 86_400_000 });
    await expect(readAll(stream("email_events"), opts)).rejects.toMatchObject({ code: "PAGING_STUCK" });
    expect(stub.requests.length).toBe(2);
  });
});

describe("a 200 without its records", () => {
  const secondPage = (bad: unknown, times: number) => {
    let served = 0;
    return (req: StubRequest) => {
      if (!req.query.get("after")) return { results: owners(1, 2), paging: { next: { after: "3" } } };
      if (served++ < times) return bad;
      return { results: owners(3, 1) };
    };
  };

  it("is retried as a transient MALFORMED_RESPONSE; every record arrives once HubSpot answers properly", async () => {
    const { stub, transport } = await serve(secondPage({ status: "ok" }, 1));
    const pages = await readAll(stream("owners"), readOptions(transport));
    expect(pages.flatMap((p) => p.records.map((r) => r.id))).toEqual(["1", "2", "3"]);
    expect(stub.requests.length).toBe(3);
    expect(transport.stats().retries).toBe(1);
  });

  it.each([
    ["no results", { paging: {} }],
    ["results not an array", { results: { id: "3" } }],
    ["an empty body", undefined],
  ])("fails the stream when it persists (%s), never ends it successfully", async (_name, bad) => {
    const { transport } = await serve(secondPage(bad, 99));
    await expect(readAll(stream("owners"), readOptions(transport))).rejects.toMatchObject({
      code: "MALFORMED_RESPONSE",
      kind: "transient",
    });
  });
});

describe("records without their primary key", () => {
  it("are reported with the stream and their count, not emitted", async () => {
    const { transport } = await serve(() => ({ results: [...owners(1, 2), { email: "x@y.z" }, { id: null }] }));
    const warnings: string[] = [];
    const pages = await readAll(stream("owners"), readOptions(transport, { warn: (m) => warnings.push(m) }));
    expect(pages.flatMap((p) => p.records.map((r) => r.id))).toEqual(["1", "2"]);
    expect(warnings).toEqual(["owners: 2 record(s) without primary key id left out"]);
  });
});
