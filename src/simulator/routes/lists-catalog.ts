/**
 * The portal's lists, derived from the seed. Each list's members are an arithmetic progression over the
 * member type's id order, so membership pages, sizes and totals are O(1) to compute.
 */
import type { PortalView } from "../types.js";
import { DAY_MS, intOf, pick } from "./extra-common.js";

/** One list's derived facts. */
export interface ListInfo {
  index: number;
  /** ILS list id (v3), a numeric string. */
  listId: string;
  /** Legacy v1 list id; not the ILS id (HubSpot migrated lists and renumbered them). */
  legacyId: number;
  name: string;
  objectTypeId: "0-1" | "0-2";
  memberType: "contacts" | "companies";
  processingType: "MANUAL" | "DYNAMIC" | "SNAPSHOT";
  createdAt: number;
  updatedAt: number;
  /** Members are records at indexes first + m * stride for m in [0, size). */
  first: number;
  stride: number;
  size: number;
}

const PROCESSING = ["MANUAL", "DYNAMIC", "DYNAMIC", "SNAPSHOT"] as const;

/** Number of lists (6–40). */
export function listCount(portal: PortalView): number {
  return intOf(portal, 6, 40, "lists", "count");
}

/** List k of the catalog. */
export function listAt(portal: PortalView, index: number): ListInfo {
  const r = (key: string) => portal.random("lists", key, index);
  const isCompanies = r("type") < 0.2;
  const memberType = isCompanies ? "companies" : "contacts";
  const n = portal.count(memberType);
  const stride = 1 + Math.floor(r("stride") * 5);
  const first = Math.floor(r("first") * stride);
  const possible = Math.max(0, Math.ceil((n - first) / stride));
  const createdAt = portal.now() - Math.floor((5 + r("created") * 700) * DAY_MS);
  return {
    index,
    listId: String(11 + index * 3 + Math.floor(r("id") * 3)),
    legacyId: 500 + index * 7,
    name: `${isCompanies ? "Accounts" : "Audience"} ${index + 1}`,
    objectTypeId: isCompanies ? "0-2" : "0-1",
    memberType,
    processingType: pick(portal, PROCESSING, "lists", "processing", index),
    createdAt,
    updatedAt: createdAt + Math.floor(r("updated") * (portal.now() - createdAt)),
    first,
    stride,
    size: Math.floor(possible * (0.2 + 0.8 * r("size"))),
  };
}

/** Finds a list by ILS id. */
export function findList(portal: PortalView, listId: string): ListInfo | undefined {
  const n = listCount(portal);
  for (let k = 0; k < n; k++) {
    const list = listAt(portal, k);
    if (list.listId === listId) return list;
  }
  return undefined;
}

/** The record id and membership time of member m (0-based, in ascending record-id order). */
export function memberAt(portal: PortalView, list: ListInfo, m: number): { recordId: string; at: number } {
  const recordId = portal.idAt(list.memberType, list.first + m * list.stride) ?? "0";
  const at =
    list.createdAt + Math.floor(portal.random("lists", "member", list.index, m) * (list.updatedAt - list.createdAt));
  return { recordId, at };
}

/** When the most recent member joined (for hs_last_record_added_at). */
export function lastAddedAt(list: ListInfo): number {
  return list.size === 0 ? list.createdAt : list.updatedAt;
}
