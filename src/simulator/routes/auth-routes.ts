/** OAuth token refresh, token introspection (OAuth and private app), and the daily API usage endpoint. */
import type { AuthStore } from "../auth.js";
import { isoMs } from "../data/values.js";
import { apiError } from "../errors.js";
import type { RateLimiter } from "../rate-limit.js";
import type { SimRoute } from "../types.js";

export function authRoutes(auth: AuthStore, limiter: RateLimiter): SimRoute[] {
  return [
    {
      method: "POST",
      pattern: "/oauth/v1/token",
      scopes: [],
      auth: false,
      handle: (r) => {
        const form = (r.body && typeof r.body === "object" ? r.body : {}) as Record<string, string>;
        return auth.refresh(form);
      },
    },
    {
      method: "GET",
      pattern: "/oauth/v1/access-tokens/:token",
      scopes: [],
      auth: false,
      handle: (r) => {
        const info = auth.info(r.params.token!);
        if (info?.kind !== "oauth" || auth.expiresIn(info) <= 0) {
          return apiError(404, "OBJECT_NOT_FOUND", "Token not found or expired", {});
        }
        return {
          status: 200,
          body: {
            token: r.params.token,
            user: "sim-user@example-portal.com",
            hub_domain: `sim-${auth.hubId}.hubspot.com`,
            scopes: [...info.scopes],
            hub_id: auth.hubId,
            app_id: info.appId,
            expires_in: auth.expiresIn(info),
            user_id: info.userId,
            token_type: "access",
            is_private_distribution: false,
          },
        };
      },
    },
    {
      method: "GET",
      pattern: "/oauth/v1/refresh-tokens/:token",
      scopes: [],
      auth: false,
      handle: (r) =>
        r.params.token === auth.refreshToken
          ? {
              status: 200,
              body: {
                token: r.params.token,
                user: "sim-user@example-portal.com",
                hub_domain: `sim-${auth.hubId}.hubspot.com`,
                scopes: ["oauth"],
                hub_id: auth.hubId,
                client_id: auth.clientId,
                user_id: 9_000_131,
                token_type: "refresh",
              },
            }
          : apiError(404, "OBJECT_NOT_FOUND", "Refresh token not found"),
    },
    {
      method: "POST",
      pattern: "/oauth/v2/private-apps/get/access-token-info",
      scopes: [],
      auth: false,
      handle: (r) => {
        const key = String((r.body as { tokenKey?: unknown } | undefined)?.tokenKey ?? "");
        const info = auth.info(key);
        if (info?.kind !== "private") {
          return apiError(401, "INVALID_AUTHENTICATION", "The access token provided is invalid.");
        }
        return {
          status: 200,
          body: { userId: info.userId, hubId: auth.hubId, appId: info.appId, scopes: [...info.scopes] },
        };
      },
    },
    {
      method: "GET",
      pattern: "/account-info/v3/api-usage/daily/private-apps",
      scopes: [],
      handle: () => ({
        status: 200,
        body: {
          results: [
            {
              name: "private-apps-api-calls-daily",
              usageLimit: limiter.daily,
              currentUsage: limiter.dailyUsage(),
              collectedAt: isoMs(Date.now()),
              fetchStatus: "SUCCESS",
              resetsAt: new Date(limiter.resetsAt()).toISOString().replace(".000Z", "Z"),
            },
          ],
        },
      }),
    },
  ];
}
