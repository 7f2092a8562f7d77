/**
 * Tokens: private-app tokens (fixed scopes, never expire) and OAuth access tokens (expire after the TTL on
 * EITHER clock — the simulated one, so tests can `advance()` past it, or the wall clock, so a real client
 * meets expiry in real time). `expireAll()` forces expiry at once.
 */
import { hash2, mix32 } from "./rng.js";

/** Every scope the simulator knows; the default private-app token and OAuth tokens get all of them. */
export const ALL_SCOPES = [
  "oauth",
  "crm.objects.contacts.read",
  "crm.objects.companies.read",
  // Write scopes only for the merge endpoint tests drive (the connector never writes).
  "crm.objects.contacts.write",
  "crm.objects.companies.write",
  "crm.objects.deals.read",
  "crm.objects.line_items.read",
  "crm.objects.goals.read",
  "crm.objects.leads.read",
  "crm.objects.custom.read",
  "crm.objects.owners.read",
  "crm.objects.users.read",
  "crm.schemas.custom.read",
  "crm.schemas.contacts.read",
  "crm.schemas.companies.read",
  "crm.schemas.deals.read",
  "crm.schemas.leads.read",
  "crm.lists.read",
  "crm.dealsplits.read_write",
  "tickets",
  "e-commerce",
  "sales-email-read",
  "content",
  "forms",
  "forms-uploaded-files",
  "automation",
  "business-intelligence",
  "settings.users.read",
  "settings.users.teams.read",
];

export interface TokenInfo {
  kind: "private" | "oauth";
  scopes: ReadonlySet<string>;
  /** OAuth only: expiry on the simulated and on the wall clock. */
  expiresAtSim?: number;
  expiresAtWall?: number;
  userId: number;
  appId: number;
}

export type AuthCheck =
  | { ok: true; token: string; info: TokenInfo }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "expired"; expiredAgoSec: number; expireTime: number };

export interface OAuthSettings {
  accessTokenTtlSec: number;
  rotateRefreshToken: boolean;
}

export class AuthStore {
  readonly privateAppToken: string;
  readonly clientId: string;
  readonly clientSecret: string;
  refreshToken: string;
  private readonly tokens = new Map<string, TokenInfo>();
  private readonly refreshTokens = new Set<string>();
  private counter = 0;

  constructor(
    private readonly seed: number,
    readonly hubId: number,
    private readonly oauth: OAuthSettings,
    private readonly simNow: () => number,
  ) {
    this.privateAppToken = this.issueToken(ALL_SCOPES);
    this.clientId = this.uuid(0xc11e);
    this.clientSecret = this.uuid(0x5ec7);
    this.refreshToken = this.uuid(0x4ef5);
    this.refreshTokens.add(this.refreshToken);
  }

  private uuid(salt: number): string {
    const n = ++this.counter;
    const p = [1, 2, 3, 4].map((k) =>
      hash2(hash2(mix32(this.seed), salt + n), k)
        .toString(16)
        .padStart(8, "0"),
    );
    return `${p[0]}-${p[1]!.slice(0, 4)}-4${p[1]!.slice(5)}-a${p[2]!.slice(1, 4)}-${p[3]}${p[2]!.slice(4)}`;
  }

  /** A new private-app token holding exactly `scopes`. */
  issueToken(scopes: readonly string[]): string {
    const token = `pat-na1-${this.uuid(0x7a7)}`;
    this.tokens.set(token, {
      kind: "private",
      scopes: new Set(scopes),
      userId: 9_000_131,
      appId: 2_000_000 + (this.hubId % 1000),
    });
    return token;
  }

  check(header: string | undefined): AuthCheck {
    const m = header ? /^Bearer (\S+)$/.exec(header) : null;
    const token = m?.[1];
    const info = token ? this.tokens.get(token) : undefined;
    if (!token || !info) return { ok: false, reason: "invalid" };
    if (info.kind === "oauth") {
      const simOver = this.simNow() - info.expiresAtSim!;
      const wallOver = Date.now() - info.expiresAtWall!;
      if (simOver >= 0 || wallOver >= 0) {
        const useSim = simOver >= wallOver;
        return {
          ok: false,
          reason: "expired",
          expiredAgoSec: Math.floor(Math.max(simOver, wallOver) / 1000),
          expireTime: useSim ? info.expiresAtSim! : info.expiresAtWall!,
        };
      }
    }
    return { ok: true, token, info };
  }

  info(token: string): TokenInfo | undefined {
    return this.tokens.get(token);
  }

  /** Every OAuth access token issued so far expires now (both clocks). */
  expireAll(): void {
    for (const t of this.tokens.values()) {
      if (t.kind === "oauth") {
        t.expiresAtSim = this.simNow() - 1000;
        t.expiresAtWall = Date.now() - 1000;
      }
    }
  }

  /** Remaining validity of an OAuth token in seconds (by the stricter clock). */
  expiresIn(info: TokenInfo): number {
    if (info.kind !== "oauth") return 0;
    return Math.max(
      0,
      Math.floor(Math.min(info.expiresAtSim! - this.simNow(), info.expiresAtWall! - Date.now()) / 1000),
    );
  }

  /** The refresh_token grant; returns the HubSpot response body and status. */
  refresh(form: Record<string, string>): { status: number; body: Record<string, unknown> } {
    if (form.grant_type !== "refresh_token" && form.grant_type !== "authorization_code") {
      return {
        status: 400,
        body: {
          status: "BAD_GRANT_TYPE",
          message: "Invalid grant type",
          correlationId: "",
          error: "unsupported_grant_type",
        },
      };
    }
    if (form.client_id !== this.clientId || form.client_secret !== this.clientSecret) {
      return {
        status: 400,
        body: {
          status: "BAD_CLIENT_ID",
          message: "missing or unknown client id",
          correlationId: "",
          error: "invalid_client",
          error_description: "missing or unknown client id",
        },
      };
    }
    if (!form.refresh_token || !this.refreshTokens.has(form.refresh_token)) {
      return {
        status: 400,
        body: {
          status: "BAD_REFRESH_TOKEN",
          message: "missing or unknown refresh token",
          correlationId: "",
          error: "invalid_grant",
          error_description: "refresh token is invalid, expired or revoked",
        },
      };
    }
    let refresh = form.refresh_token;
    if (this.oauth.rotateRefreshToken) {
      this.refreshTokens.delete(refresh);
      refresh = this.uuid(0x4ef5);
      this.refreshTokens.add(refresh);
      this.refreshToken = refresh;
    }
    const ttl = this.oauth.accessTokenTtlSec;
    const access = `CK${this.uuid(0xacc).replace(/-/g, "")}${this.uuid(0xacd).replace(/-/g, "").toUpperCase()}`;
    this.tokens.set(access, {
      kind: "oauth",
      scopes: new Set(ALL_SCOPES),
      expiresAtSim: this.simNow() + ttl * 1000,
      expiresAtWall: Date.now() + ttl * 1000,
      userId: 9_000_131,
      appId: 3_000_000 + (this.hubId % 1000),
    });
    return {
      status: 200,
      body: {
        token_type: "bearer",
        refresh_token: refresh,
        access_token: access,
        expires_in: ttl,
        token_use: "access_token",
        hub_id: this.hubId,
      },
    };
  }
}
