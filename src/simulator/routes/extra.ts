import type { SimRoute } from "../types.js";
import { analyticsRoutes } from "./analytics-events.js";
import { workflowRoutes } from "./automation-workflows.js";
import { campaignRoutes } from "./legacy-email-campaigns.js";
import { emailEventRoutes } from "./legacy-email-events.js";
import { engagementRoutes } from "./legacy-engagements.js";
import { legacyListRoutes } from "./legacy-lists.js";
import { subscriptionRoutes } from "./legacy-subscriptions.js";
import { ilsListRoutes } from "./lists-ils.js";
import { marketingEmailRoutes } from "./marketing-emails.js";
import { formRoutes } from "./marketing-forms.js";
import { settingsRoutes } from "./settings-users.js";

/** Routes beyond the CRM object APIs (engagements v1, marketing, settings, lists, analytics). */
export const extraRoutes: SimRoute[] = [
  ...engagementRoutes,
  ...emailEventRoutes,
  ...campaignRoutes,
  ...subscriptionRoutes,
  ...formRoutes,
  ...marketingEmailRoutes,
  ...workflowRoutes,
  ...settingsRoutes,
  ...ilsListRoutes,
  ...legacyListRoutes,
  ...analyticsRoutes,
];
