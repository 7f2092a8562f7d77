/**
 * Value generators: each turns (record context, per-property hash) into the string HubSpot would send.
 * Pure functions, so any single property of any record can be computed without building the record.
 */
import { hash2 } from "../rng.js";
import {
  CITIES,
  COMPANY_SUFFIX,
  COUNTRIES,
  DOMAINS_TLD,
  FIRST_NAMES,
  JOB_TITLES,
  LAST_NAMES,
  STATES,
  TRICKY_SNIPPETS,
  WORDS,
} from "./pools.js";

/** What a generator may look at: the record's identity and times plus portal-wide lookups. */
export interface ValueCtx {
  index: number;
  id: string;
  h: number;
  createdAt: number;
  updatedAt: number;
  env: GenEnv;
}

/** Portal-wide lookups generators need (owners, ids of other objects, pipelines). */
export interface GenEnv {
  ownerIds: readonly string[];
  /** Id of the k-th base record of a type (k taken modulo the type's count); "" when the type is empty. */
  refId(type: string, k: number): string;
  pipelines(type: string): readonly { id: string; stages: readonly { id: string }[] }[];
}

export type Gen = (c: ValueCtx, h: number, options?: readonly string[]) => string;

const pick = <T>(arr: readonly T[], h: number): T => arr[h % arr.length]!;
const pad2 = (n: number) => (n < 10 ? "0" + n : String(n));
const pad3 = (n: number) => (n < 10 ? "00" + n : n < 100 ? "0" + n : String(n));

const dayCache = new Map<number, string>();
/** ISO-8601 with millis, e.g. 2024-01-17T19:55:04.281Z; day prefixes are cached because toISOString is slow. */
export function isoMs(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  let prefix = dayCache.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
    if (dayCache.size > 50_000) dayCache.clear();
    dayCache.set(day, prefix);
  }
  let r = ms - day * 86_400_000;
  const hh = Math.floor(r / 3_600_000);
  r -= hh * 3_600_000;
  const mm = Math.floor(r / 60_000);
  r -= mm * 60_000;
  const ss = Math.floor(r / 1000);
  return prefix + pad2(hh) + ":" + pad2(mm) + ":" + pad2(ss) + "." + pad3(r - ss * 1000) + "Z";
}

/** A date-only value (YYYY-MM-DD). */
export function isoDate(ms: number): string {
  return isoMs(ms).slice(0, 10);
}

const firstName = (c: ValueCtx) => pick(FIRST_NAMES, hash2(c.h, 11));
const lastName = (c: ValueCtx) => pick(LAST_NAMES, hash2(c.h, 12));
const companyName = (c: ValueCtx) => pick(WORDS, hash2(c.h, 13)) + " " + pick(COMPANY_SUFFIX, hash2(c.h, 14));
const domain = (c: ValueCtx) =>
  pick(WORDS, hash2(c.h, 13)) + (hash2(c.h, 15) % 100) + "." + pick(DOMAINS_TLD, hash2(c.h, 16));
const email = (c: ValueCtx, h: number) =>
  (pick(FIRST_NAMES, h) + "." + pick(LAST_NAMES, h >>> 8)).toLowerCase() + (h % 997) + "@" + domain(c);
const phone = (h: number) => "+1 " + (200 + (h % 800)) + "-555-" + String(1000 + ((h >>> 10) % 9000));
const words = (h: number, n: number) => {
  let s = pick(WORDS, h);
  for (let i = 1; i < n; i++) s += " " + pick(WORDS, hash2(h, i));
  return s;
};
const sentence = (h: number) => {
  const s = words(h, 4 + (h % 8));
  return h % 9 === 0 ? s + " " + pick(TRICKY_SNIPPETS, h >>> 5) : s;
};
const between = (c: ValueCtx, h: number) => c.createdAt + (h % Math.max(1, c.updatedAt - c.createdAt + 1));
const emails = (h: number, c: ValueCtx, max: number) => {
  const n = 1 + (h % max);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(email(c, hash2(h, i + 40)));
  return out.join(";");
};
const pipelineOf = (c: ValueCtx, type: string) => pick(c.env.pipelines(type), hash2(c.h, 21));
const stageOf = (c: ValueCtx, type: string) => {
  const p = pipelineOf(c, type);
  return p ? pick(p.stages, hash2(c.h, 22)).id : "";
};

/** Named generators referenced by the property specs. */
export const GENS: Record<string, Gen> = {
  id: (c) => c.id,
  created: (c) => isoMs(c.createdAt),
  modified: (c) => isoMs(c.updatedAt),
  firstname: firstName,
  lastname: lastName,
  fullname: (c) => firstName(c) + " " + lastName(c),
  email: (c) => (firstName(c) + "." + lastName(c)).toLowerCase() + (c.index % 1000) + "@" + domain(c),
  anyEmail: (c, h) => email(c, h),
  emailList: (c, h) => emails(h, c, 3),
  phone: (_c, h) => phone(h),
  company: companyName,
  domain,
  website: (c) => "https://www." + domain(c),
  city: (_c, h) => pick(CITIES, h),
  state: (_c, h) => pick(STATES, h),
  country: (_c, h) => pick(COUNTRIES, h),
  zip: (_c, h) => String(10000 + (h % 89999)),
  address: (_c, h) => 1 + (h % 999) + " " + pick(WORDS, h >>> 4) + " Street",
  jobtitle: (_c, h) => pick(JOB_TITLES, h),
  word: (_c, h) => pick(WORDS, h),
  words: (_c, h) => words(h, 2 + (h % 3)),
  sentence: (_c, h) => sentence(h),
  paragraph: (_c, h) => sentence(h) + ". " + sentence(hash2(h, 1)) + ". " + sentence(hash2(h, 2)),
  html: (_c, h) => "<div><p>" + sentence(h).replace(/&/g, "&amp;").replace(/</g, "&lt;") + "</p></div>",
  int: (_c, h) => String(h % 5000),
  small: (_c, h) => String(h % 20),
  money: (_c, h) => (h % 7 === 0 ? String(h % 100000) : String((h % 10_000_000) / 100)),
  percent: (_c, h) => String((h % 101) / 100),
  durationMs: (_c, h) => String(h % 3_600_000),
  bool: (_c, h) => (h & 1 ? "true" : "false"),
  enum: (_c, h, options) => (options?.length ? pick(options, h) : ""),
  multi: (_c, h, options) =>
    options?.length ? options.filter((_o, i) => hash2(h, i) % 3 === 0).join(";") || options[0]! : "",
  datetime: (c, h) => isoMs(between(c, h)),
  date: (c, h) => isoDate(between(c, h)),
  future: (c, h) => isoMs(c.updatedAt + (h % (90 * 86_400_000))),
  /** A meeting's end: its start (same generator and hash as hs_meeting_start_time) plus 15–120 minutes. */
  meetingStart: (c) => isoMs(between(c, hash2(c.h, 31))),
  meetingEnd: (c) => isoMs(between(c, hash2(c.h, 31)) + (1 + (c.h % 8)) * 15 * 60_000),
  timestamp: (c) => isoMs(between(c, hash2(c.h, 31))),
  owner: (c, h) => (c.env.ownerIds.length ? pick(c.env.ownerIds, h) : ""),
  dealPipeline: (c) => pipelineOf(c, "deals")?.id ?? "",
  dealStage: (c) => stageOf(c, "deals"),
  ticketPipeline: (c) => pipelineOf(c, "tickets")?.id ?? "",
  ticketStage: (c) => stageOf(c, "tickets"),
  dealId: (c, h) => c.env.refId("deals", h),
  productId: (c, h) => c.env.refId("products", h),
  companyId: (c, h) => c.env.refId("companies", h),
  recordingUrl: (c) => "https://api.hubspot.com/calls/v1/recordings/" + c.id + ".mp3",
  uuid: (_c, h) => {
    const a = hash2(h, 1).toString(16).padStart(8, "0");
    const b = hash2(h, 2).toString(16).padStart(8, "0");
    const d = hash2(h, 3).toString(16).padStart(8, "0");
    return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-a${d.slice(1, 4)}-${d}${a.slice(0, 4)}`;
  },
};
