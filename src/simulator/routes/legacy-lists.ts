/**
 * `GET /contacts/v1/lists`: the legacy contact-list listing (`count` ≤ 250, numeric `offset`, `has-more`).
 * Its offset is "start + page size asked for", so it can run past the number of lists, as HubSpot's does.
 */
import type { SimRoute } from "../types.js";
import { intParam } from "./extra-common.js";
import { lastAddedAt, listAt, listCount } from "./lists-catalog.js";

/** The legacy list route (scope `crm.lists.read`). */
export const legacyListRoutes: SimRoute[] = [
  {
    method: "GET",
    pattern: "/contacts/v1/lists",
    scopes: ["crm.lists.read"],
    handle: (req, portal) => {
      const count = intParam(req.query, "count", 20, 250);
      const start = Math.max(0, Math.trunc(Number(req.query.get("offset") ?? 0)) || 0);
      // v1 only knows contact lists.
      const contactLists = [];
      for (let k = 0; k < listCount(portal); k++) {
        const list = listAt(portal, k);
        if (list.objectTypeId === "0-1") contactLists.push(list);
      }
      const lists = contactLists.slice(start, start + count).map((list) => ({
        portalId: portal.portalId,
        listId: list.legacyId,
        internalListId: list.legacyId,
        createdAt: list.createdAt,
        updatedAt: list.updatedAt,
        name: list.name,
        listType: list.processingType === "DYNAMIC" ? "DYNAMIC" : "STATIC",
        dynamic: list.processingType === "DYNAMIC",
        filters: [],
        metaData: {
          size: list.size,
          processing: "DONE",
          error: "",
          lastProcessingStateChangeAt: list.updatedAt,
          lastSizeChangeAt: lastAddedAt(list),
          listReferencesCount: null,
          parentFolderId: null,
        },
        archived: false,
        teamIds: [],
      }));
      return {
        status: 200,
        body: { lists, offset: start + count, "has-more": start + count < contactLists.length },
      };
    },
  },
];
