import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { expectValidLines } from "../helpers/protocol-validator.js";
import { lines, runCli, tempFiles } from "./run-cli.js";

let sim: SimulatorHandle;
let files: Record<string, string>;

const catalog = (streams: [string, "incremental" | "full_refresh"][]) => ({
  streams: streams.map(([name, mode]) => ({
    stream: { name, json_schema: {}, supported_sync_modes: ["full_refresh", "incremental"] },
    sync_mode: mode,
    cursor_field: mode === "incremental" ? ["updatedAt"] : [],
    destination_sync_mode: mode === "incremental" ? "append_dedup" : "overwrite",
  })),
});

beforeAll(async () => {
  sim = await startSimulator({ seed: 31, scale: "small", rateLimits: false });
  const { clientId, clientSecret, refreshToken } = sim.credentials.oauth;
  files = tempFiles({
    "config.json": { credentials: { access_token: sim.credentials.privateAppToken }, base_url: sim.url },
    "oauth.json": {
      credentials: {
        credentials_title: "OAuth Credentials",
        client_id: clientId,
        client_secret: clientSecret,
        refresh_token: refreshToken,
      },
      base_url: sim.url,
    },
    "bad-token.json": { credentials: { access_token: "pat-na1-not-a-real-one" }, base_url: sim.url },
    "extra-keys.json": {
      credentials: { access_token: sim.credentials.privateAppToken },
      base_url: sim.url,
      num_worker: 3,
    },
    "placeholder.json": { credentials: { access_token: "<your private app access token>" }, base_url: sim.url },
    "typo-catalog.json": catalog([["contcts", "incremental"]]),
    "invalid.json": { credentials: {}, start_date: "yesterday", lookback_window: -5, base_url: "http://example.com" },
    "catalog.json": catalog([
      ["contacts", "incremental"],
      ["owners", "full_refresh"],
    ]),
  });
});
afterAll(() => sim.close());

describe("source-hubspot spec", () => {
  it("prints one valid SPEC message whose secrets are marked airbyte_secret", async () => {
    const r = await runCli(["spec"]);
    expect(r.code).toBe(0);
    const [msg, ...rest] = expectValidLines(r.stdout);
    expect(rest).toEqual([]);
    expect(msg?.type).toBe("SPEC");
    expect(JSON.stringify(msg)).toContain('"airbyte_secret":true');
  });

  it("links Airbyte's HubSpot setup guide and offers Airbyte's OAuth flow for the OAuth credentials", async () => {
    const [msg] = expectValidLines((await runCli(["spec"])).stdout) as Record<string, any>[];
    const spec = msg?.spec;
    expect(spec.documentationUrl).toBe("https://docs.airbyte.com/integrations/sources/hubspot");
    const auth = spec.advanced_auth;
    expect(auth.auth_flow_type).toBe("oauth2.0");
    expect(auth.predicate_key).toEqual(["credentials", "credentials_title"]);
    // The predicate selects the oneOf branch whose credentials_title is that constant...
    const branches = spec.connectionSpecification.properties.credentials.oneOf as Record<string, any>[];
    const oauthBranch = branches.find((b) => b.properties.credentials_title.const === auth.predicate_value);
    expect(oauthBranch?.required).toEqual(["client_id", "client_secret", "refresh_token"]);
    // ...and every field the flow fills in is a field of that branch.
    const oauth = auth.oauth_config_specification;
    const filled = [
      ...Object.values(oauth.complete_oauth_output_specification.properties),
      ...Object.values(oauth.complete_oauth_server_output_specification.properties),
    ].map((p) => (p as { path_in_connector_config: string[] }).path_in_connector_config);
    expect(filled.sort()).toEqual([
      ["credentials", "client_id"],
      ["credentials", "client_secret"],
      ["credentials", "refresh_token"],
    ]);
    expect(Object.keys(oauth.complete_oauth_server_input_specification.properties).sort()).toEqual([
      "client_id",
      "client_secret",
    ]);
  });
});

describe("source-hubspot check", () => {
  it("reports SUCCEEDED for working credentials", async () => {
    const r = await runCli(["check", "--config", files["config.json"] as string]);
    expect(r.code).toBe(0);
    const msgs = expectValidLines(r.stdout);
    expect(msgs.find((m) => m.type === "CONNECTION_STATUS")).toMatchObject({
      connectionStatus: { status: "SUCCEEDED" },
    });
  });

  it("warns about unknown config keys as read does, and still succeeds", async () => {
    const r = await runCli(["check", "--config", files["extra-keys.json"] as string]);
    expect(r.code).toBe(0);
    const msgs = expectValidLines(r.stdout) as Record<string, any>[];
    expect(msgs.filter((m) => m.type === "LOG").map((m) => m.log)).toContainEqual({
      level: "WARN",
      message: "config num_worker: unknown option, ignored",
    });
    expect(msgs.find((m) => m.type === "CONNECTION_STATUS")?.connectionStatus.status).toBe("SUCCEEDED");
  });

  it("reports FAILED, exit code 0, in one line for the example config's placeholder, before any request", async () => {
    const before = sim.stats().totalRequests;
    const r = await runCli(["check", "--config", files["placeholder.json"] as string]);
    expect(r.code).toBe(0);
    const status = expectValidLines(r.stdout).find((m) => m.type === "CONNECTION_STATUS") as Record<string, any>;
    expect(status.connectionStatus.status).toBe("FAILED");
    expect(status.connectionStatus.message).toMatch(/access_token still holds the placeholder/);
    expect(status.connectionStatus.message.split("\n")).toHaveLength(1);
    expect(sim.stats().totalRequests).toBe(before);
  });

  it("reports FAILED with a clear message for a rejected token, without printing it", async () => {
    const r = await runCli(["check", "--config", files["bad-token.json"] as string]);
    expect(r.code).toBe(0);
    const status = expectValidLines(r.stdout).find((m) => m.type === "CONNECTION_STATUS") as Record<string, any>;
    expect(status.connectionStatus.status).toBe("FAILED");
    expect(status.connectionStatus.message).toMatch(/token/i);
    expect(r.stdout + r.stderr).not.toContain("pat-na1-not-a-real-one");
  });
});

describe("source-hubspot discover", () => {
  it("emits a CATALOG with schemas from the properties API, cursors and primary keys", async () => {
    const r = await runCli(["discover", "--config", files["config.json"] as string]);
    expect(r.code).toBe(0);
    const cat = expectValidLines(r.stdout).find((m) => m.type === "CATALOG") as Record<string, any>;
    const contacts = cat.catalog.streams.find((s: { name: string }) => s.name === "contacts");
    expect(contacts.supported_sync_modes).toEqual(["full_refresh", "incremental"]);
    expect(contacts.default_cursor_field).toEqual(["updatedAt"]);
    expect(contacts.source_defined_primary_key).toEqual([["id"]]);
    expect(contacts.json_schema.properties.properties_email).toBeDefined();
    expect(contacts.json_schema.properties.properties.properties.email).toBeDefined();
    const names = cat.catalog.streams.map((s: { name: string }) => s.name);
    expect(names).toEqual(expect.arrayContaining(["companies", "deals", "owners", "cars", "pets"]));
  });
});

/** `read` with one of the config files, the shared catalog and an optional state file. */
const read = (config: string, state?: string) =>
  runCli([
    "read",
    "--config",
    files[config] as string,
    "--catalog",
    files["catalog.json"] as string,
    ...(state ? ["--state", state] : []),
  ]);

describe("source-hubspot read", () => {
  it("emits only valid Airbyte messages: records, per-stream states with counts, statuses", async () => {
    const r = await read("config.json");
    expect(r.code).toBe(0);
    const msgs = expectValidLines(r.stdout) as Record<string, any>[];
    const records = msgs.filter((m) => m.type === "RECORD");
    expect(records.filter((m) => m.record.stream === "contacts").length).toBe(sim.portal.count("contacts"));
    expect(records.filter((m) => m.record.stream === "owners").length).toBe(sim.portal.ownerIds().length);
    for (const stream of ["contacts", "owners"]) {
      const states = msgs.filter((m) => m.type === "STATE" && m.state.stream.stream_descriptor.name === stream);
      expect(states.length).toBeGreaterThan(0);
      const counted = states.reduce((n, m) => n + m.state.sourceStats.recordCount, 0);
      expect(counted).toBe(records.filter((m) => m.record.stream === stream).length);
      const statuses = msgs
        .filter(
          (m) =>
            m.type === "TRACE" &&
            m.trace.type === "STREAM_STATUS" &&
            m.trace.stream_status.stream_descriptor.name === stream,
        )
        .map((m) => m.trace.stream_status.status);
      expect(statuses[0]).toBe("STARTED");
      expect(statuses.at(-1)).toBe("COMPLETE");
    }
    // A STATE never precedes records it covers: the last contacts STATE comes after the last contacts RECORD.
    const lastRecord = msgs.findLastIndex((m) => m.type === "RECORD" && m.record.stream === "contacts");
    const lastState = msgs.findLastIndex(
      (m) => m.type === "STATE" && m.state.stream.stream_descriptor.name === "contacts",
    );
    expect(lastState).toBeGreaterThan(lastRecord);
    expect(r.stdout).not.toContain(sim.credentials.privateAppToken);
  });

  it("resumes from the state it emitted: a second run reads only the boundary", async () => {
    const first = await read("config.json");
    const states = lines(first.stdout)
      .filter((m) => m.type === "STATE")
      .map((m) => m.state);
    const { state } = tempFiles({ state: states });
    const second = await read("config.json", state);
    expect(second.code).toBe(0);
    const records = expectValidLines(second.stdout).filter((m) => m.type === "RECORD") as Record<string, any>[];
    const contacts = records.filter((m) => m.record.stream === "contacts");
    expect(contacts.length).toBeGreaterThan(0);
    expect(contacts.length).toBeLessThan(5);
  });

  it("suggests the stream a mistyped catalog name meant", async () => {
    const r = await runCli([
      "read",
      "--config",
      files["config.json"] as string,
      "--catalog",
      files["typo-catalog.json"] as string,
    ]);
    expect(r.code).toBe(0);
    const logs = (expectValidLines(r.stdout) as Record<string, any>[]).filter((m) => m.type === "LOG");
    expect(logs.map((m) => m.log.message)).toContain(
      'stream contcts is not available in this account; skipped (did you mean "contacts"?)',
    );
  });

  it("accepts a legacy state object", async () => {
    const { legacy } = tempFiles({ legacy: { contacts: { updatedAt: "2099-01-01T00:00:00Z" } } });
    const r = await read("config.json", legacy);
    expect(r.code).toBe(0);
    const records = expectValidLines(r.stdout).filter((m) => m.type === "RECORD") as Record<string, any>[];
    expect(records.filter((m) => m.record.stream === "contacts")).toEqual([]);
  });

  it("rejects an invalid config with one TRACE ERROR listing every problem and exit code 2", async () => {
    const r = await read("invalid.json");
    expect(r.code).toBe(2);
    const msgs = expectValidLines(r.stdout) as Record<string, any>[];
    const errors = msgs.filter((m) => m.type === "TRACE" && m.trace.type === "ERROR");
    expect(errors.length).toBe(1);
    const message: string = errors[0]?.trace.error.message;
    expect(errors[0]?.trace.error.failure_type).toBe("config_error");
    for (const field of ["credentials", "start_date", "lookback_window", "base_url"]) expect(message).toContain(field);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("fails with a config_error trace and a non-zero exit when the private app token is rejected", async () => {
    const r = await read("bad-token.json");
    expect(r.code).toBe(2);
    const traces = expectValidLines(r.stdout).filter((m) => m.type === "TRACE") as Record<string, any>[];
    const errors = traces.filter((m) => m.trace.type === "ERROR");
    expect(errors.length).toBe(1);
    const error = errors[0];
    expect(error?.trace.error.failure_type).toBe("config_error");
    expect(error?.trace.error.message).toMatch(/new token/);
    expect(r.stdout + r.stderr).not.toContain("pat-na1-not-a-real-one");
  });

  it("reads with OAuth credentials and never prints the secrets outside a CONTROL message", async () => {
    const r = await read("oauth.json");
    expect(r.code).toBe(0);
    const msgs = expectValidLines(r.stdout) as Record<string, any>[];
    expect(msgs.filter((m) => m.type === "RECORD").length).toBeGreaterThan(0);
    const nonControl = msgs.filter((m) => m.type !== "CONTROL").map((m) => JSON.stringify(m));
    for (const secret of [sim.credentials.oauth.clientSecret, sim.credentials.oauth.refreshToken]) {
      expect(nonControl.join("\n")).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);
    }
  });
});
