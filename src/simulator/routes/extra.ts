import type { SimRoute } from "../types.js";

/** Routes beyond the CRM object APIs (engagements v1, marketing, settings, lists, analytics). */
export const extraRoutes: SimRoute[] = [];
