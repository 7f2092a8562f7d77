/**
 * The connector's configuration: the JSON Schema that `spec` prints, and the parser that turns a
 * user's snake_case JSON into a typed, defaults-filled, camelCase {@link Config}.
 *
 * Validation is hand-written but reads its limits (defaults, enums, ranges, patterns) from
 * {@link configSpecification}, so the schema the platform shows and the checks we run cannot drift
 * apart; ajv is a dev dependency only, and its messages are not the `field: what is wrong` lines
 * users need.
 */
import { SourceError } from "./errors.js";
import { loadJsonFile } from "./protocol/json-file.js";

const PRIVATE_APP_TITLE = "Private App Credentials";
/** The `credentials_title` that selects OAuth (also the predicate of the spec's advanced_auth). */
export const OAUTH_TITLE = "OAuth Credentials";

/** HubSpot's burst limit (requests per rolling 10 s) for each subscription tier. */
export const tierBurstPer10s = {
  free: 100,
  starter: 100,
  professional: 190,
  enterprise: 190,
  api_add_on: 250,
} as const;

/** A HubSpot subscription tier, as named in `rate_limit_tier`. */
export type RateLimitTier = keyof typeof tierBurstPer10s;

/** Other spellings accepted for a tier (the simulator's short names, a dashed add-on); the docs use the keys above. */
export const TIER_ALIASES: Readonly<Record<string, RateLimitTier>> = {
  pro: "professional",
  addon: "api_add_on",
  "api-add-on": "api_add_on",
};

/** The documented tier name for a tier name or alias; anything else is returned unchanged (and refused later). */
export function canonicalTier<T>(value: T): T | RateLimitTier {
  return typeof value === "string" ? (TIER_ALIASES[value.trim().toLowerCase()] ?? value) : value;
}

/**
 * The `<your …>` values of config/*.example.json: left in place they would cost a round trip to HubSpot for a
 * 401 that says less than we know.
 */
const PLACEHOLDER = /^<\s*your\b[^>]*>$/i;

/**
 * The `connectionSpecification` printed by `spec` (JSON Schema draft-07). Unknown keys are allowed,
 * so configs written for Airbyte's connector keep working; `parseConfig` lists them as warnings.
 */
export const configSpecification = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "HubSpot Source",
  type: "object",
  required: ["credentials"],
  additionalProperties: true,
  properties: {
    credentials: {
      title: "Authentication",
      description:
        "How to sign in to HubSpot: a private app's access token, or an OAuth app's client and refresh token. " +
        "credentials_title may be left out when the fields you give make the choice obvious.",
      type: "object",
      order: 0,
      oneOf: [
        {
          title: "Private App",
          description: "Use the access token of a HubSpot private app that has the scopes of the streams you sync.",
          type: "object",
          required: ["access_token"],
          properties: {
            credentials_title: {
              title: "Auth type",
              type: "string",
              const: PRIVATE_APP_TITLE,
              default: PRIVATE_APP_TITLE,
              order: 0,
            },
            access_token: {
              title: "Access token",
              description: "The private app's access token (Settings → Integrations → Private Apps → Auth).",
              type: "string",
              airbyte_secret: true,
              order: 1,
            },
          },
        },
        {
          title: "OAuth",
          description: "Use an OAuth app; the connector exchanges the refresh token for short-lived access tokens.",
          type: "object",
          required: ["client_id", "client_secret", "refresh_token"],
          properties: {
            credentials_title: {
              title: "Auth type",
              type: "string",
              const: OAUTH_TITLE,
              default: OAUTH_TITLE,
              order: 0,
            },
            client_id: {
              title: "Client ID",
              description: "The OAuth app's client ID (HubSpot developer account → Apps → Auth).",
              type: "string",
              order: 1,
            },
            client_secret: {
              title: "Client secret",
              description: "The OAuth app's client secret.",
              type: "string",
              airbyte_secret: true,
              order: 2,
            },
            refresh_token: {
              title: "Refresh token",
              description: "A refresh token obtained by installing the OAuth app on your HubSpot account.",
              type: "string",
              airbyte_secret: true,
              order: 3,
            },
          },
        },
      ],
    },
    start_date: {
      title: "Start date",
      description:
        "Only records created or updated at or after this UTC instant are read on the first sync. " +
        "Defaults to 2006-06-01T00:00:00Z (before HubSpot existed, so: everything).",
      type: "string",
      format: "date-time",
      pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$",
      pattern_descriptor: "YYYY-MM-DDTHH:mm:ssZ",
      examples: ["2024-01-31T00:00:00Z"],
      default: "2006-06-01T00:00:00Z",
      order: 1,
    },
    lookback_window: {
      title: "Lookback window (minutes)",
      description:
        "Incremental syncs start this many minutes before the saved cursor, to catch records HubSpot " +
        "indexed late. Costs some duplicate reads; 0 turns it off.",
      type: "integer",
      minimum: 0,
      maximum: 576000,
      default: 0,
      examples: [60],
      order: 2,
    },
    enable_experimental_streams: {
      title: "Enable experimental streams",
      description: "Also offer streams built on HubSpot APIs in beta (web analytics). They may change or break.",
      type: "boolean",
      default: false,
      order: 3,
    },
    emit_deletes: {
      title: "Deliver deletes",
      description:
        "In incremental syncs of CRM objects, also deliver the records HubSpot archived (its recycle bin) or merged " +
        "away since the last sync, once each, as records with _ab_cdc_deleted_at set: Airbyte destinations apply " +
        "them as deletes. Costs one list request per 100 records in the recycle bin per sync.",
      type: "boolean",
      default: true,
      order: 3,
    },
    base_url: {
      title: "API base URL",
      description:
        "Where HubSpot's API lives. Change it only for a proxy or a local simulator: https is required, " +
        "plain http is accepted for loopback hosts only, so the token never travels in clear.",
      type: "string",
      format: "uri",
      pattern: "^https?://",
      default: "https://api.hubapi.com",
      order: 4,
    },
    rate_limit_tier: {
      title: "HubSpot subscription tier",
      description:
        "Sets the request budget to your account's burst limit per 10 seconds: free and starter 100, " +
        "professional and enterprise 190, api_add_on 250. Ignored when requests_per_10s is set.",
      type: "string",
      enum: Object.keys(tierBurstPer10s) as RateLimitTier[],
      default: "free",
      order: 5,
    },
    requests_per_10s: {
      title: "Requests per 10 seconds",
      description:
        "Overrides the tier's budget for non-search endpoints. Set it below the limit if other apps share the portal.",
      type: "integer",
      minimum: 1,
      order: 6,
    },
    search_requests_per_second: {
      title: "Search requests per second",
      description: "Budget for the CRM search endpoints, which HubSpot limits separately (5 per second per portal).",
      type: "number",
      exclusiveMinimum: 0,
      default: 5,
      order: 7,
    },
    max_concurrent_streams: {
      title: "Streams read in parallel",
      description: "How many streams are read at the same time. They all share the request budget.",
      type: "integer",
      minimum: 1,
      maximum: 16,
      default: 4,
      order: 8,
    },
    request_timeout_seconds: {
      title: "Request timeout (seconds)",
      description: "A request with no complete response after this long is abandoned and retried.",
      type: "number",
      exclusiveMinimum: 0,
      maximum: 3600,
      default: 60,
      order: 9,
    },
  },
};

/** The credentials, by kind. Secrets are kept verbatim except for surrounding whitespace. */
export type Credentials =
  | { kind: "private-app"; accessToken: string }
  | { kind: "oauth"; clientId: string; clientSecret: string; refreshToken: string };

/**
 * A validated configuration with every default filled in. Field names are the camelCase of the
 * snake_case JSON keys, except where a unit is added (`lookbackWindowMinutes`) or the value is
 * derived (`requestsPer10s` = `requests_per_10s`, else the tier's burst limit).
 */
export interface Config {
  credentials: Credentials;
  /** `YYYY-MM-DDTHH:mm:ssZ`. */
  startDate: string;
  lookbackWindowMinutes: number;
  enableExperimentalStreams: boolean;
  emitDeletes: boolean;
  /** http(s) origin plus optional path prefix, no trailing slash. */
  baseUrl: string;
  rateLimitTier: RateLimitTier;
  /** Budget for non-search requests per rolling 10 s, already resolved from the tier. */
  requestsPer10s: number;
  searchRequestsPerSecond: number;
  maxConcurrentStreams: number;
  requestTimeoutSeconds: number;
}

/** Result of {@link parseConfig}: the config, plus things the user should know but that are not fatal. */
export interface ParsedConfig {
  config: Config;
  /** `field: what` lines, e.g. `num_worker: unknown option, ignored`. */
  warnings: string[];
}

/**
 * A problem with what the user gave us (config, catalog or state): never retried, exit code 2.
 * The message lists every problem, one `field.path: what is wrong` per line, and never a secret.
 */
export class ConfigError extends SourceError {
  declare readonly code: "CONFIG_INVALID";
  declare readonly kind: "config";

  /**
   * @param headline - what was being read, e.g. `Invalid config` or `Cannot read state file s.json`
   * @param problems - one `field.path: what is wrong` each
   */
  constructor(
    headline: string,
    readonly problems: string[],
  ) {
    super(formatProblems(headline, problems), "CONFIG_INVALID", "config");
  }
}

/** One line for one problem; otherwise a count, then one indented line per problem. */
function formatProblems(headline: string, problems: string[]): string {
  if (problems.length === 1) return `${headline}: ${problems[0]}`;
  return `${headline} (${problems.length} problems):\n${problems.map((p) => `  ${p}`).join("\n")}`;
}

type OptionKey = Exclude<keyof typeof configSpecification.properties, "credentials">;

/** The shape every scalar option schema has, for generic checking. */
interface OptionSchema {
  type: string;
  default?: unknown;
  enum?: readonly string[];
  pattern?: string;
  examples?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

/**
 * Validates a parsed config JSON and fills defaults.
 *
 * @param raw - the parsed JSON (snake_case keys, as in `config/*.example.json`)
 * @throws ConfigError listing every problem found, not just the first
 * @example
 * const { config, warnings } = parseConfig({ credentials: { access_token: token } });
 * config.requestsPer10s; // 100 (free tier)
 */
export function parseConfig(raw: unknown): ParsedConfig {
  return parseWithHeadline(raw, "Invalid config");
}

/**
 * Reads, parses and validates a config file.
 *
 * @throws ConfigError naming the file when it is missing, unreadable, not JSON or invalid
 */
export async function readConfigFile(path: string): Promise<ParsedConfig> {
  const file = await loadJsonFile(path);
  if (!file.ok) throw new ConfigError(`Cannot read config file ${path}`, [file.problem]);
  return parseWithHeadline(file.value, `Invalid config file ${path}`);
}

function parseWithHeadline(raw: unknown, headline: string): ParsedConfig {
  if (!isPlainObject(raw)) throw new ConfigError(headline, ["config: must be a JSON object"]);
  const problems: string[] = [];
  const warnings: string[] = [];
  const known = new Set(Object.keys(configSpecification.properties));
  for (const key of Object.keys(raw)) if (!known.has(key)) warnings.push(`${key}: unknown option, ignored`);

  const credentials = parseCredentials(raw.credentials, problems);
  const value = <K extends OptionKey>(key: K) => readOption(raw, key, problems);
  const startDate = value("start_date") as string;
  const baseUrl = parseBaseUrl(raw.base_url, problems);
  const rateLimitTier = value("rate_limit_tier") as RateLimitTier;
  const explicitBudget = value("requests_per_10s") as number | undefined;
  if (explicitBudget !== undefined && raw.rate_limit_tier !== undefined) {
    warnings.push("rate_limit_tier: ignored because requests_per_10s is set");
  }
  const config = {
    credentials,
    startDate,
    lookbackWindowMinutes: value("lookback_window") as number,
    enableExperimentalStreams: value("enable_experimental_streams") as boolean,
    emitDeletes: value("emit_deletes") as boolean,
    baseUrl,
    rateLimitTier,
    requestsPer10s: explicitBudget ?? tierBurstPer10s[rateLimitTier] ?? tierBurstPer10s.free,
    searchRequestsPerSecond: value("search_requests_per_second") as number,
    maxConcurrentStreams: value("max_concurrent_streams") as number,
    requestTimeoutSeconds: value("request_timeout_seconds") as number,
  };
  if (problems.length > 0 || !credentials) throw new ConfigError(headline, problems);
  return { config: { ...config, credentials }, warnings };
}

/** The option's value or its default; on a problem, records it and returns the default. */
function readOption(raw: Record<string, unknown>, key: OptionKey, problems: string[]): unknown {
  const schema: OptionSchema = configSpecification.properties[key];
  const value = key === "rate_limit_tier" ? canonicalTier(raw[key]) : raw[key];
  if (value === undefined) return schema.default;
  const problem = key === "start_date" ? checkStartDate(value, schema) : checkScalar(value, schema);
  if (problem) problems.push(`${key}: ${problem}`);
  return problem ? schema.default : value;
}

/** What is wrong with a scalar value against its option schema, or undefined. */
function checkScalar(value: unknown, schema: OptionSchema): string | undefined {
  const { minimum: min, maximum: max, exclusiveMinimum: above } = schema;
  switch (schema.type) {
    case "boolean":
      return typeof value === "boolean" ? undefined : "must be true or false";
    case "integer": {
      const floor = min === undefined ? "" : ` ≥ ${min}`;
      if (!Number.isInteger(value) || (min !== undefined && (value as number) < min)) {
        return `must be an integer${floor}`;
      }
      return max !== undefined && (value as number) > max ? `must be an integer ≤ ${max}` : undefined;
    }
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value) || (above !== undefined && value <= above)) {
        return above === undefined ? "must be a number" : `must be a number > ${above}`;
      }
      return max !== undefined && value > max ? `must be a number ≤ ${max}` : undefined;
    }
    default: {
      if (schema.enum && !schema.enum.includes(value as string)) {
        return `must be one of ${schema.enum.map((e) => `"${e}"`).join(", ")}`;
      }
      if (typeof value !== "string") return "must be a string";
      if (schema.pattern && !new RegExp(schema.pattern).test(value)) return `must look like ${schema.examples?.[0]}`;
      return undefined;
    }
  }
}

/** The pattern alone lets 2024-02-30 through; a round trip through Date catches it. */
function checkStartDate(value: unknown, schema: OptionSchema): string | undefined {
  const problem = checkScalar(value, schema);
  if (problem) return problem;
  const date = new Date(value as string);
  const roundTrip = Number.isNaN(date.getTime()) ? "" : `${date.toISOString().slice(0, 19)}Z`;
  return roundTrip === value ? undefined : "is not a real date and time";
}

function parseBaseUrl(value: unknown, problems: string[]): string {
  const fallback = configSpecification.properties.base_url.default;
  if (value === undefined) return fallback;
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  let problem: string | undefined;
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) problem = "must be an http(s) URL";
  else if (url.username || url.password) problem = "must not contain a user name or password";
  else if (url.search || url.hash) problem = "must not contain a query string or fragment";
  else if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    problem = "plain http is refused for non-loopback hosts (the token would travel in clear); use https";
  }
  if (problem || !url) {
    problems.push(`base_url: ${problem}`);
    return fallback;
  }
  return url.origin + url.pathname.replace(/\/+$/, "");
}

/** localhost, 127.0.0.0/8 or ::1 (WHATWG URL has already normalised forms like 127.1). */
function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

const OAUTH_FIELDS = ["client_id", "client_secret", "refresh_token"] as const;

function parseCredentials(raw: unknown, problems: string[]): Credentials | undefined {
  if (raw === undefined || raw === null) {
    problems.push("credentials: required");
    return undefined;
  }
  if (!isPlainObject(raw)) {
    problems.push("credentials: must be an object");
    return undefined;
  }
  const kind = credentialsKind(raw, problems);
  const placeholders = Object.keys(raw).filter((k) => typeof raw[k] === "string" && PLACEHOLDER.test(raw[k].trim()));
  if (placeholders.length) {
    const what = kind === "oauth" ? "your OAuth app's values" : "your private app's access token";
    problems.push(
      `credentials: ${placeholders.join(", ")} still ${placeholders.length > 1 ? "hold the placeholders" : "holds the placeholder"} of the example config; put ${what} there`,
    );
    return undefined;
  }
  if (kind === "private-app") {
    const accessToken = secretField(raw, "access_token", problems);
    return accessToken === undefined ? undefined : { kind, accessToken };
  }
  if (kind === "oauth") {
    const [clientId, clientSecret, refreshToken] = OAUTH_FIELDS.map((f) => secretField(raw, f, problems));
    if (clientId === undefined || clientSecret === undefined || refreshToken === undefined) return undefined;
    return { kind, clientId, clientSecret, refreshToken };
  }
  return undefined;
}

/**
 * The credentials' kind from `credentials_title`, or, when it is absent, from which fields are
 * present. A stray access_token beside a complete OAuth triple is a cached token: OAuth wins.
 */
function credentialsKind(raw: Record<string, unknown>, problems: string[]): Credentials["kind"] | undefined {
  const title = raw.credentials_title;
  if (title === PRIVATE_APP_TITLE) return "private-app";
  if (title === OAUTH_TITLE) return "oauth";
  if (title !== undefined) {
    problems.push(`credentials.credentials_title: must be "${PRIVATE_APP_TITLE}" or "${OAUTH_TITLE}"`);
    return undefined;
  }
  const hasToken = raw.access_token !== undefined;
  const oauthCount = OAUTH_FIELDS.filter((f) => raw[f] !== undefined).length;
  if (oauthCount === OAUTH_FIELDS.length) return "oauth";
  if (oauthCount === 0 && hasToken) return "private-app";
  if (oauthCount > 0 && !hasToken) return "oauth";
  if (oauthCount > 0) {
    problems.push(
      `credentials.credentials_title: required when both access_token and OAuth fields are given ` +
        `("${PRIVATE_APP_TITLE}" or "${OAUTH_TITLE}")`,
    );
  } else {
    problems.push("credentials.access_token: required (or client_id, client_secret and refresh_token for OAuth)");
  }
  return undefined;
}

/** A required non-blank string, trimmed. The value itself never reaches a message. */
function secretField(raw: Record<string, unknown>, key: string, problems: string[]): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null) problems.push(`credentials.${key}: required`);
  else if (typeof value !== "string" || value.trim() === "")
    problems.push(`credentials.${key}: must be a non-empty string`);
  else return value.trim();
  return undefined;
}

/**
 * The snake_case JSON form of a config, every option explicit: what a CONTROL message carries when
 * a rotated refresh token must be persisted. `parseConfig(serializeConfig(c)).config` equals `c`,
 * except that `rateLimitTier` falls back to "free" when `requestsPer10s` overrides it.
 */
export function serializeConfig(config: Config): Record<string, unknown> {
  const c = config.credentials;
  const credentials =
    c.kind === "private-app"
      ? { credentials_title: PRIVATE_APP_TITLE, access_token: c.accessToken }
      : {
          credentials_title: OAUTH_TITLE,
          client_id: c.clientId,
          client_secret: c.clientSecret,
          refresh_token: c.refreshToken,
        };
  // requests_per_10s only when it differs from the tier's, so the round trip raises no warning
  const overridden = config.requestsPer10s !== tierBurstPer10s[config.rateLimitTier];
  return {
    credentials,
    start_date: config.startDate,
    lookback_window: config.lookbackWindowMinutes,
    enable_experimental_streams: config.enableExperimentalStreams,
    emit_deletes: config.emitDeletes,
    base_url: config.baseUrl,
    ...(overridden ? { requests_per_10s: config.requestsPer10s } : { rate_limit_tier: config.rateLimitTier }),
    search_requests_per_second: config.searchRequestsPerSecond,
    max_concurrent_streams: config.maxConcurrentStreams,
    request_timeout_seconds: config.requestTimeoutSeconds,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
