import { classify, describeHubSpotBody, HttpError, SourceError } from "../errors.js";

export type Credentials =
  | { kind: "private-app"; accessToken: string }
  | { kind: "oauth"; clientId: string; clientSecret: string; refreshToken: string };

/** Something that can POST a form and return status + parsed JSON (the transport's raw fetch). */
export type FormPoster = (path: string, form: Record<string, string>) => Promise<{ status: number; body: unknown }>;

const TOKEN_ROUTE = "POST /oauth/v1/token";

/** Refresh up to this long before HubSpot says the access token expires (HubSpot tokens live 30 min). */
const EARLY_REFRESH_MS = 5 * 60_000;

/**
 * Supplies the bearer token. Private-app tokens are static: a 401 is final. OAuth access tokens are
 * refreshed before expiry and on demand after a 401; a rotated refresh token is reported once.
 */
export class Auth {
  private accessToken?: string;
  private expiresAt = 0;
  /** A quarter of the token's life, at most 5 minutes: short-lived tokens are not refreshed on every call. */
  private earlyBy = EARLY_REFRESH_MS;
  private refreshing?: Promise<string>;

  constructor(
    readonly credentials: Credentials,
    private readonly postForm: FormPoster,
    private readonly onRotated: (refreshToken: string) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  get mode(): "private-app" | "oauth" {
    return this.credentials.kind;
  }

  /** A valid access token, refreshing first when an OAuth token is missing or about to expire. */
  async token(): Promise<string> {
    const c = this.credentials;
    if (c.kind === "private-app") return c.accessToken;
    if (this.accessToken && this.now() < this.expiresAt - this.earlyBy) return this.accessToken;
    return this.refresh();
  }

  /** Force a refresh (after a 401 on an OAuth token); concurrent callers share one refresh. */
  refresh(): Promise<string> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<string> {
    const c = this.credentials;
    if (c.kind !== "oauth") throw new SourceError("private app tokens cannot be refreshed", "AUTH_INVALID", "config");
    const { status, body } = await this.postForm("/oauth/v1/token", {
      grant_type: "refresh_token",
      client_id: c.clientId,
      client_secret: c.clientSecret,
      refresh_token: c.refreshToken,
    });
    const b = (body ?? {}) as Record<string, unknown>;
    // The one status table says whether trying again can help (429, 5xx, 408); any other refusal is final.
    if (classify(status, body, "oauth", { route: TOKEN_ROUTE }).action === "retry") {
      throw new HttpError(`OAuth token refresh failed with HTTP ${status}`, "AUTH_REFRESH", "transient", {
        status,
        route: TOKEN_ROUTE,
        body,
      });
    }
    if (status !== 200 || typeof b.access_token !== "string") {
      const why = describeHubSpotBody(body) || `HTTP ${status}`;
      throw new HttpError(
        `HubSpot refused the OAuth refresh token (${why}); re-authenticate and update client_id, client_secret and refresh_token`,
        "AUTH_REFRESH_REJECTED",
        "config",
        { status, route: TOKEN_ROUTE },
      );
    }
    this.accessToken = b.access_token;
    const ttlSec = typeof b.expires_in === "number" ? b.expires_in : 1800;
    this.expiresAt = this.now() + ttlSec * 1000;
    this.earlyBy = Math.min(EARLY_REFRESH_MS, (ttlSec * 1000) / 4);
    if (typeof b.refresh_token === "string" && b.refresh_token !== c.refreshToken) {
      c.refreshToken = b.refresh_token;
      this.onRotated(b.refresh_token);
    }
    return b.access_token;
  }
}
