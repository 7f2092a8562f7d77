/**
 * `GET /automation/v3/workflows`: every workflow in one unpaged response, timestamps in epoch ms.
 */
import type { PortalView, SimRoute } from "../types.js";
import { DAY_MS, intOf, pick } from "./extra-common.js";

const TYPES = ["DRIP_DELAY", "STATIC_ANCHOR", "PROPERTY_ANCHOR"] as const;

function workflow(portal: PortalView, k: number) {
  const r = (key: string) => portal.random("workflows", key, k);
  const insertedAt = portal.now() - Math.floor((10 + r("inserted") * 900) * DAY_MS);
  const updatedAt = insertedAt + Math.floor(r("updated") * (portal.now() - insertedAt));
  const id = 2_000_000 + k * 13 + Math.floor(r("id") * 10);
  return {
    name: `Workflow ${k + 1}`,
    id,
    type: pick(portal, TYPES, "workflows", "type", k),
    enabled: r("enabled") < 0.7,
    insertedAt,
    updatedAt,
    portalId: portal.portalId,
    personaTagIds: [],
    contactListIds: {
      enrolled: 100 + k * 3,
      active: 101 + k * 3,
      completed: 102 + k * 3,
      succeeded: 102 + k * 3,
      steps: [],
    },
    migrationStatus: { portalId: portal.portalId, workflowId: id, migrationStatus: "EXECUTION_MIGRATED" },
  };
}

/** The workflows route (scope `automation`). */
export const workflowRoutes: SimRoute[] = [
  {
    method: "GET",
    pattern: "/automation/v3/workflows",
    scopes: ["automation"],
    handle: (_req, portal) => {
      const n = intOf(portal, 3, 25, "workflows", "count");
      return { status: 200, body: { workflows: Array.from({ length: n }, (_, k) => workflow(portal, k)) } };
    },
  },
];
