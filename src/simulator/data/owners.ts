/** Owners (active and archived) with teams; users are the owners' userIds. Small, so materialised once. */
import { hash2, mix32 } from "../rng.js";
import { FIRST_NAMES, LAST_NAMES } from "./pools.js";
import { isoMs } from "./values.js";

export interface OwnerDef {
  id: string;
  email: string;
  type: "PERSON";
  firstName: string;
  lastName: string;
  userId: number;
  userIdIncludingInactive: number;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  teams: { id: string; name: string; primary: boolean }[];
}

const TEAMS = ["Sales EMEA", "Sales Americas", "Support", "Customer Success"];

/** Builds `active + archived` owners; ids are 8–9 digit numbers increasing with index. */
export function buildOwners(seed: number, active: number, archived: number, now: number): OwnerDef[] {
  const out: OwnerDef[] = [];
  const total = active + archived;
  const stride = archived > 0 ? Math.max(2, Math.floor(total / archived)) : 1;
  let archivedSoFar = 0;
  for (let i = 0; i < total; i++) {
    const h = hash2(mix32(seed) ^ 0x0aa11, i);
    const first = FIRST_NAMES[h % FIRST_NAMES.length]!;
    const last = LAST_NAMES[(h >>> 8) % LAST_NAMES.length]!;
    const created = now - 4 * 365 * 86_400_000 + i * 86_400_000 * 7 + (h % 86_400_000);
    const teamIdx = h % (TEAMS.length + 1);
    const userId = 9_000_000 + i * 131 + (h % 100);
    out.push({
      id: String(50_000_000 + i * 7919 + (h % 5000)),
      email: `${first}.${last}${i}@example-portal.com`.toLowerCase(),
      type: "PERSON",
      firstName: first,
      lastName: last,
      userId,
      userIdIncludingInactive: userId,
      createdAt: created,
      updatedAt: created + (h % (200 * 86_400_000)),
      archived: archived > 0 && i % stride === stride - 1 && archivedSoFar++ < archived,
      teams:
        teamIdx === TEAMS.length ? [] : [{ id: String(4_100_000 + teamIdx), name: TEAMS[teamIdx]!, primary: true }],
    });
  }
  return out;
}

/** Owner JSON as GET /crm/v3/owners returns it. */
export function ownerJson(o: OwnerDef): Record<string, unknown> {
  return {
    id: o.id,
    email: o.email,
    type: o.type,
    firstName: o.firstName,
    lastName: o.lastName,
    userId: o.archived ? null : o.userId,
    userIdIncludingInactive: o.userIdIncludingInactive,
    createdAt: isoMs(o.createdAt),
    updatedAt: isoMs(o.updatedAt),
    archived: o.archived,
    ...(o.teams.length ? { teams: o.teams } : {}),
  };
}
