import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type Config,
  ConfigError,
  configSpecification,
  parseConfig,
  readConfigFile,
  serializeConfig,
} from "../src/config.js";
import { exitCodeOf } from "../src/errors.js";
import { newAjv } from "./helpers/protocol-validator.js";

const TOKEN = "tok-9f8e7d6c5b4a-private";
const SECRET = "sec-1a2b3c4d5e6f";
const REFRESH = "ref-0a9b8c7d6e5f";
const pat = { access_token: TOKEN };
const oauth = { client_id: "client-123", client_secret: SECRET, refresh_token: REFRESH };

/** The ConfigError a call throws; fails the test when it does not throw one. */
function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError, nothing was thrown");
}

const specValidator = newAjv().compile(configSpecification);

describe("parseConfig: valid configs", () => {
  it("fills every default for a minimal private-app config", () => {
    const { config, warnings } = parseConfig({ credentials: pat });
    expect(config).toEqual<Config>({
      credentials: { kind: "private-app", accessToken: TOKEN },
      startDate: "2006-06-01T00:00:00Z",
      lookbackWindowMinutes: 0,
      enableExperimentalStreams: false,
      emitDeletes: true,
      baseUrl: "https://api.hubapi.com",
      rateLimitTier: "free",
      requestsPer10s: 100,
      searchRequestsPerSecond: 5,
      maxConcurrentStreams: 4,
      requestTimeoutSeconds: 60,
    });
    expect(warnings).toEqual([]);
  });

  it.each([
    ["private app with title", { credentials_title: "Private App Credentials", ...pat }, "private-app"],
    ["private app inferred from access_token", pat, "private-app"],
    ["OAuth with title", { credentials_title: "OAuth Credentials", ...oauth }, "oauth"],
    ["OAuth inferred from the three fields", oauth, "oauth"],
    ["OAuth inferred despite a cached access_token", { ...oauth, access_token: "cached" }, "oauth"],
  ])("accepts %s", (_label, credentials, kind) => {
    expect(parseConfig({ credentials }).config.credentials.kind).toBe(kind);
  });

  it("maps OAuth fields to camelCase and trims pasted whitespace", () => {
    const { config } = parseConfig({ credentials: { ...oauth, refresh_token: `  ${REFRESH}\n` } });
    expect(config.credentials).toEqual({
      kind: "oauth",
      clientId: "client-123",
      clientSecret: SECRET,
      refreshToken: REFRESH,
    });
  });

  it.each([
    ["free", 100],
    ["starter", 100],
    ["professional", 190],
    ["enterprise", 190],
    ["api_add_on", 250],
  ])("sets the %s tier's budget to %i requests per 10 s", (tier, budget) => {
    expect(parseConfig({ credentials: pat, rate_limit_tier: tier }).config.requestsPer10s).toBe(budget);
  });

  it("lets requests_per_10s override the tier, and says the tier is ignored", () => {
    const { config, warnings } = parseConfig({ credentials: pat, rate_limit_tier: "enterprise", requests_per_10s: 42 });
    expect(config.requestsPer10s).toBe(42);
    expect(warnings).toEqual(["rate_limit_tier: ignored because requests_per_10s is set"]);
  });

  it("keeps every explicit option", () => {
    const { config } = parseConfig({
      credentials: pat,
      start_date: "2024-01-31T12:34:56Z",
      lookback_window: 576000,
      enable_experimental_streams: true,
      search_requests_per_second: 2.5,
      max_concurrent_streams: 16,
      request_timeout_seconds: 0.5,
    });
    expect(config).toMatchObject({
      startDate: "2024-01-31T12:34:56Z",
      lookbackWindowMinutes: 576000,
      enableExperimentalStreams: true,
      searchRequestsPerSecond: 2.5,
      maxConcurrentStreams: 16,
      requestTimeoutSeconds: 0.5,
    });
  });

  it("lists unknown keys as warnings, not errors", () => {
    const { warnings } = parseConfig({ credentials: pat, num_worker: 10, property_history_lookback_window: 0 });
    expect(warnings).toEqual([
      "num_worker: unknown option, ignored",
      "property_history_lookback_window: unknown option, ignored",
    ]);
  });

  it("round-trips through serializeConfig", () => {
    for (const raw of [
      { credentials: oauth, rate_limit_tier: "professional", base_url: "http://127.0.0.1:8080" },
      { credentials: pat, lookback_window: 5 },
    ]) {
      const { config } = parseConfig(raw);
      const again = parseConfig(serializeConfig(config));
      expect(again.config).toEqual(config);
      expect(again.warnings).toEqual([]);
    }
  });
});

describe("parseConfig: base_url", () => {
  it.each([
    ["https://api.hubapi.com/", "https://api.hubapi.com"],
    ["https://proxy.example.com/hubspot//", "https://proxy.example.com/hubspot"],
    ["http://localhost:3000", "http://localhost:3000"],
    ["http://127.0.0.1:8080/", "http://127.0.0.1:8080"],
    ["http://127.9.8.7", "http://127.9.8.7"],
    ["http://[::1]:9000/", "http://[::1]:9000"],
  ])("accepts %s as %s", (baseUrl, expected) => {
    expect(parseConfig({ credentials: pat, base_url: baseUrl }).config.baseUrl).toBe(expected);
  });

  it.each([
    ["http://api.hubapi.com", "plain http is refused"],
    ["http://10.0.0.5:8080", "plain http is refused"],
    ["http://128.0.0.1", "plain http is refused"],
    ["http://localhost.evil.com", "plain http is refused"],
    ["ftp://api.hubapi.com", "must be an http(s) URL"],
    ["api.hubapi.com", "must be an http(s) URL"],
    [42, "must be an http(s) URL"],
    ["https://user:pw@api.hubapi.com", "must not contain a user name or password"],
    ["https://api.hubapi.com/?x=1", "must not contain a query string"],
  ])("refuses %s", (baseUrl, problem) => {
    const err = configErrorOf(() => parseConfig({ credentials: pat, base_url: baseUrl }));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(/^base_url: /);
    expect(err.problems[0]).toContain(problem);
  });
});

describe("parseConfig: invalid configs", () => {
  it.each<[string, unknown, string[]]>([
    ["a non-object", [], ["config: must be a JSON object"]],
    ["null", null, ["config: must be a JSON object"]],
    ["no credentials", {}, ["credentials: required"]],
    ["credentials as a string", { credentials: TOKEN }, ["credentials: must be an object"]],
    [
      "empty credentials",
      { credentials: {} },
      ["credentials.access_token: required (or client_id, client_secret and refresh_token for OAuth)"],
    ],
    [
      "a private-app title without token",
      { credentials: { credentials_title: "Private App Credentials" } },
      ["credentials.access_token: required"],
    ],
    [
      "an unknown title",
      { credentials: { credentials_title: "API Key", ...pat } },
      ['credentials.credentials_title: must be "Private App Credentials" or "OAuth Credentials"'],
    ],
    [
      "OAuth missing two fields",
      { credentials: { client_id: "c" } },
      ["credentials.client_secret: required", "credentials.refresh_token: required"],
    ],
    [
      "an ambiguous mix without title",
      { credentials: { access_token: TOKEN, client_id: "c" } },
      [
        'credentials.credentials_title: required when both access_token and OAuth fields are given ("Private App Credentials" or "OAuth Credentials")',
      ],
    ],
    [
      "a blank token",
      { credentials: { access_token: "   " } },
      ["credentials.access_token: must be a non-empty string"],
    ],
    [
      "a numeric token",
      { credentials: { access_token: 123 } },
      ["credentials.access_token: must be a non-empty string"],
    ],
    [
      "a start_date without time",
      { credentials: pat, start_date: "2024-01-31" },
      ["start_date: must look like 2024-01-31T00:00:00Z"],
    ],
    [
      "a start_date with milliseconds",
      { credentials: pat, start_date: "2024-01-31T00:00:00.000Z" },
      ["start_date: must look like 2024-01-31T00:00:00Z"],
    ],
    [
      "an impossible start_date",
      { credentials: pat, start_date: "2024-02-30T00:00:00Z" },
      ["start_date: is not a real date and time"],
    ],
    ["a negative lookback", { credentials: pat, lookback_window: -1 }, ["lookback_window: must be an integer ≥ 0"]],
    ["a fractional lookback", { credentials: pat, lookback_window: 1.5 }, ["lookback_window: must be an integer ≥ 0"]],
    ["a string lookback", { credentials: pat, lookback_window: "60" }, ["lookback_window: must be an integer ≥ 0"]],
    [
      "a huge lookback",
      { credentials: pat, lookback_window: 576001 },
      ["lookback_window: must be an integer ≤ 576000"],
    ],
    [
      "a string boolean",
      { credentials: pat, enable_experimental_streams: "yes" },
      ["enable_experimental_streams: must be true or false"],
    ],
    [
      "an unknown tier",
      { credentials: pat, rate_limit_tier: "gold" },
      ['rate_limit_tier: must be one of "free", "starter", "professional", "enterprise", "api_add_on"'],
    ],
    ["a zero budget", { credentials: pat, requests_per_10s: 0 }, ["requests_per_10s: must be an integer ≥ 1"]],
    [
      "a zero search rate",
      { credentials: pat, search_requests_per_second: 0 },
      ["search_requests_per_second: must be a number > 0"],
    ],
    [
      "too many concurrent streams",
      { credentials: pat, max_concurrent_streams: 17 },
      ["max_concurrent_streams: must be an integer ≤ 16"],
    ],
    [
      "an infinite timeout",
      { credentials: pat, request_timeout_seconds: "60s" },
      ["request_timeout_seconds: must be a number > 0"],
    ],
  ])("refuses %s", (_label, raw, problems) => {
    const err = configErrorOf(() => parseConfig(raw));
    expect(err.problems).toEqual(problems);
  });

  it("lists every problem in one message, one line each", () => {
    const err = configErrorOf(() =>
      parseConfig({
        credentials: { credentials_title: "Private App Credentials" },
        start_date: "yesterday",
        lookback_window: -5,
      }),
    );
    const lines = err.message.split("\n");
    expect(lines).toEqual([
      "Invalid config (3 problems):",
      "  credentials.access_token: required",
      "  start_date: must look like 2024-01-31T00:00:00Z",
      "  lookback_window: must be an integer ≥ 0",
    ]);
  });

  it("puts a single problem on one line", () => {
    const err = configErrorOf(() => parseConfig({}));
    expect(err.message).toBe("Invalid config: credentials: required");
  });

  it("is a config-kind error with code CONFIG_INVALID and exit code 2", () => {
    const err = configErrorOf(() => parseConfig({}));
    expect(err.code).toBe("CONFIG_INVALID");
    expect(err.kind).toBe("config");
    expect(exitCodeOf(err)).toBe(2);
  });

  it("never quotes a secret value in its message", () => {
    const cases: unknown[] = [
      { credentials: { access_token: TOKEN, client_id: SECRET }, start_date: REFRESH },
      { credentials: { credentials_title: TOKEN, access_token: TOKEN } },
      { credentials: { ...oauth, client_secret: { nested: SECRET } }, base_url: `http://example.com/${REFRESH}` },
      { credentials: { ...oauth, refresh_token: [REFRESH] }, rate_limit_tier: SECRET, lookback_window: TOKEN },
    ];
    for (const raw of cases) {
      const err = configErrorOf(() => parseConfig(raw));
      for (const secret of [TOKEN, SECRET, REFRESH]) expect(err.message).not.toContain(secret);
    }
  });
});

describe("configSpecification", () => {
  it("is a draft-07 schema that accepts the configs parseConfig accepts", () => {
    for (const raw of [
      { credentials: pat },
      { credentials: { credentials_title: "OAuth Credentials", ...oauth }, rate_limit_tier: "api_add_on" },
      { credentials: pat, start_date: "2024-01-31T00:00:00Z", lookback_window: 10, unknown_key: 1 },
    ]) {
      expect(specValidator(raw), JSON.stringify(specValidator.errors)).toBe(true);
      expect(() => parseConfig(raw)).not.toThrow();
    }
  });

  it("rejects the configs parseConfig rejects for type, range, enum or pattern", () => {
    for (const raw of [
      {},
      { credentials: {} },
      { credentials: pat, start_date: "2024-01-31" },
      { credentials: pat, lookback_window: -1 },
      { credentials: pat, max_concurrent_streams: 17 },
      { credentials: pat, rate_limit_tier: "gold" },
      { credentials: pat, base_url: "ftp://x" },
    ]) {
      expect(specValidator(raw), JSON.stringify(raw)).toBe(false);
      expect(() => parseConfig(raw)).toThrow(ConfigError);
    }
  });

  it("flags every secret field airbyte_secret", () => {
    const [privateApp, oauthVariant] = configSpecification.properties.credentials.oneOf;
    expect(privateApp?.properties.access_token).toMatchObject({ airbyte_secret: true });
    expect(oauthVariant?.properties).toMatchObject({
      client_secret: { airbyte_secret: true },
      refresh_token: { airbyte_secret: true },
    });
  });

  it("has a default for every option but credentials and the tier override", () => {
    const withoutDefault = Object.entries(configSpecification.properties)
      .filter(([, schema]) => !("default" in schema))
      .map(([key]) => key);
    expect(withoutDefault).toEqual(["credentials", "requests_per_10s"]);
  });
});

describe("readConfigFile", () => {
  async function tempFile(content: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "config-test-"));
    const path = join(dir, "config.json");
    await writeFile(path, content);
    return path;
  }

  it("parses a valid file", async () => {
    const path = await tempFile(JSON.stringify({ credentials: pat }));
    expect((await readConfigFile(path)).config.credentials).toEqual({ kind: "private-app", accessToken: TOKEN });
  });

  it("names the missing file in one line", async () => {
    const err = await readConfigFile("/nonexistent/dir/config.json").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe("Cannot read config file /nonexistent/dir/config.json: no such file");
  });

  it("reports invalid JSON without quoting the content", async () => {
    const path = await tempFile(`{"credentials": {"access_token": ${TOKEN}}}`);
    const err = await readConfigFile(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toMatch(new RegExp(`^Cannot read config file ${path}: not valid JSON`));
    expect(message).not.toContain(TOKEN.slice(0, 8));
    expect(message.split("\n")).toHaveLength(1);
  });

  it("names the file when the content is invalid", async () => {
    const path = await tempFile(JSON.stringify({ credentials: {} }));
    const err = await readConfigFile(path).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(new RegExp(`^Invalid config file ${path}: credentials\\.access_token`));
  });

  it("treats an empty file as a missing object", async () => {
    const err = await readConfigFile(await tempFile("")).catch((e: unknown) => e);
    expect((err as ConfigError).problems).toEqual(["config: must be a JSON object"]);
  });
});

describe("example configs", () => {
  const read = async (path: string) =>
    JSON.parse(await import("node:fs/promises").then((fs) => fs.readFile(path, "utf8"))) as Record<string, any>;

  it.each([
    ["config/private-app.example.json", { access_token: TOKEN }],
    ["config/oauth.example.json", oauth],
  ])("%s, its placeholders filled, parses without warnings and spells out every default", async (path, filled) => {
    const raw = await read(path);
    const { warnings } = parseConfig({ ...raw, credentials: { ...raw.credentials, ...filled } });
    expect(warnings).toEqual([]);
    const documented = Object.keys(configSpecification.properties).filter((k) => k !== "requests_per_10s");
    expect(Object.keys(raw).sort()).toEqual(documented.sort());
    for (const key of documented.filter((k) => k !== "credentials")) {
      const schema = configSpecification.properties[key as keyof typeof configSpecification.properties];
      expect([key, raw[key]]).toEqual([key, (schema as { default?: unknown }).default]);
    }
  });

  it("uses placeholders, never token-looking strings", async () => {
    for (const path of ["config/private-app.example.json", "config/oauth.example.json"]) {
      const raw = await read(path);
      for (const value of Object.values(raw.credentials as Record<string, string>)) {
        if (value.endsWith("Credentials")) continue;
        expect(value).toMatch(/^<your .+>$/);
      }
    }
  });

  it.each([
    [
      "config/private-app.example.json",
      /credentials: access_token still holds the placeholder .*private app's access token/,
    ],
    [
      "config/oauth.example.json",
      /credentials: client_id, client_secret, refresh_token still hold the placeholders .*OAuth app/,
    ],
  ])("%s as it is is refused in one line naming the placeholders", async (path, message) => {
    const err = (await readConfigFile(path).catch((e: unknown) => e)) as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(exitCodeOf(err)).toBe(2);
    expect(err.message).toMatch(message);
    expect(err.message.split("\n")).toHaveLength(1);
  });

  it("refuses a placeholder left in one field of an otherwise filled OAuth config", () => {
    const err = configErrorOf(() => parseConfig({ credentials: { ...oauth, refresh_token: "<your refresh token>" } }));
    expect(err.problems).toEqual([
      "credentials: refresh_token still holds the placeholder of the example config; put your OAuth app's values there",
    ]);
  });
});

describe("rate_limit_tier spellings", () => {
  it.each([
    ["professional", "professional", 190],
    ["pro", "professional", 190],
    ["addon", "api_add_on", 250],
    ["api-add-on", "api_add_on", 250],
    ["starter", "starter", 100],
  ])("reads %j as %s (%d requests per 10 s)", (given, tier, budget) => {
    const { config, warnings } = parseConfig({ credentials: pat, rate_limit_tier: given });
    expect(config.rateLimitTier).toBe(tier);
    expect(config.requestsPer10s).toBe(budget);
    expect(warnings).toEqual([]);
  });

  it("still refuses an unknown tier, listing the documented names only", () => {
    const err = configErrorOf(() => parseConfig({ credentials: pat, rate_limit_tier: "gold" }));
    expect(err.problems).toEqual([
      'rate_limit_tier: must be one of "free", "starter", "professional", "enterprise", "api_add_on"',
    ]);
  });
});
