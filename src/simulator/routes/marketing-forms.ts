/**
 * Forms: `GET /marketing/v3/forms` (only `hubspot` forms unless `formTypes` asks for others) and the
 * legacy `GET /form-integrations/v1/submissions/forms/:formId` (newest first, at most 50 a page).
 */
import type { PortalView, SimRequest, SimResult, SimRoute } from "../types.js";
import {
  DAY_MS,
  decodeCursor,
  encodeCursor,
  errorResult,
  hashTag,
  intOf,
  intParam,
  iso,
  listParam,
  queryFingerprint,
  uuidOf,
} from "./extra-common.js";
import { makeTimeline } from "./extra-timeline.js";

const FORM_TYPES = [
  "hubspot",
  "hubspot",
  "hubspot",
  "hubspot",
  "captured",
  "captured",
  "flow",
  "blog_comment",
] as const;

interface FormInfo {
  index: number;
  id: string;
  formType: string;
  archived: boolean;
  createdAt: number;
  updatedAt: number;
}

/** The portal's forms (8–19, live and archived), cheap to compute on every request. */
export function formCatalog(portal: PortalView): FormInfo[] {
  const n = intOf(portal, 8, 19, "forms", "count");
  return Array.from({ length: n }, (_, index) => {
    const createdAt = portal.now() - Math.floor((30 + portal.random("forms", "created", index) * 700) * DAY_MS);
    return {
      index,
      id: uuidOf(portal, "form", index),
      formType: FORM_TYPES[Math.floor(portal.random("forms", "type", index) * FORM_TYPES.length)] as string,
      archived: portal.random("forms", "archived", index) < 0.1,
      createdAt,
      updatedAt: createdAt + Math.floor(portal.random("forms", "updated", index) * (portal.now() - createdAt)),
    };
  });
}

function field(name: string, label: string, fieldType: string, required: boolean) {
  return { objectTypeId: "0-1", name, label, required, hidden: false, fieldType, dependentFields: [] };
}

/** The email field carries its block-list settings (EmailField.validation). */
function emailField() {
  return {
    ...field("email", "Email", "email", true),
    validation: { blockedEmailDomains: [], useDefaultBlockList: false },
  };
}

/** FormStyle: every key is required and HubSpot fills in its defaults. */
const FORM_STYLE = {
  fontFamily: "arial, helvetica, sans-serif",
  backgroundWidth: "100%",
  labelTextColor: "#33475b",
  labelTextSize: "14px",
  helpTextColor: "#7C98B6",
  helpTextSize: "11px",
  legalConsentTextColor: "#33475b",
  legalConsentTextSize: "14px",
  submitColor: "#ff7a59",
  submitAlignment: "left",
  submitFontColor: "#ffffff",
  submitSize: "12px",
};

function formDefinition(form: FormInfo) {
  return {
    id: form.id,
    name: `Form ${form.index + 1}`,
    formType: form.formType,
    createdAt: iso(form.createdAt),
    updatedAt: iso(form.updatedAt),
    archived: form.archived,
    ...(form.archived ? { archivedAt: iso(form.updatedAt) } : {}),
    fieldGroups: [
      { groupType: "default_group", richTextType: "text", fields: [emailField()] },
      {
        groupType: "default_group",
        richTextType: "text",
        fields: [
          field("firstname", "First name", "single_line_text", false),
          field("lastname", "Last name", "single_line_text", false),
        ],
      },
    ],
    configuration: {
      language: "en",
      cloneable: true,
      postSubmitAction: { type: "thank_you", value: "Thanks for submitting the form." },
      editable: true,
      archivable: true,
      recaptchaEnabled: form.index % 3 === 0,
      notifyContactOwner: false,
      notifyRecipients: [],
      createNewContactForNewEmail: false,
      prePopulateKnownValues: true,
      allowLinkToResetKnownValues: false,
      lifecycleStages: [],
    },
    displayOptions: { renderRawHtml: false, theme: "default_style", submitButtonText: "Submit", style: FORM_STYLE },
    legalConsentOptions: { type: "none" },
  };
}

function listForms(req: SimRequest, portal: PortalView): SimResult {
  const q = req.query;
  const limit = intParam(q, "limit", 20, 100);
  const types = listParam(q, "formTypes");
  const all = types.includes("all");
  const wantTypes = new Set(types.length === 0 ? ["hubspot"] : types);
  const archived = q.get("archived") === "true";
  const forms = formCatalog(portal).filter((f) => f.archived === archived && (all || wantTypes.has(f.formType)));
  const fingerprint = queryFingerprint(q, ["after", "limit"]);
  const after = q.get("after");
  const start = after === null || after === "" ? 0 : decodeCursor(after, fingerprint);
  if (start === undefined) return errorResult(req, portal, 400, "VALIDATION_ERROR", "Invalid after cursor");
  const results = forms.slice(start, start + limit).map(formDefinition);
  const next = start + limit;
  if (next >= forms.length) return { status: 200, body: { results } };
  const token = encodeCursor(next, fingerprint);
  const link = `https://api.hubapi.com/marketing/v3/forms/?after=${token}`;
  return { status: 200, body: { results, paging: { next: { after: token, link } } } };
}

/** Number of submissions a form has: hubspot forms collect most. */
function submissionCount(portal: PortalView, form: FormInfo): number {
  return form.formType === "hubspot"
    ? intOf(portal, 0, 130, "forms", "subs", form.index)
    : intOf(portal, 0, 15, "forms", "subs", form.index);
}

function submissions(req: SimRequest, portal: PortalView): SimResult {
  const formId = req.params.formId ?? "";
  const form = formCatalog(portal).find((f) => f.id === formId && !f.archived);
  if (!form) return errorResult(req, portal, 404, "OBJECT_NOT_FOUND", `Form ${formId} does not exist`);
  const limit = intParam(req.query, "limit", 20, 50);
  const fingerprint = hashTag(`submissions:${formId}`);
  const after = req.query.get("after");
  const start = after === null || after === "" ? 0 : decodeCursor(after, fingerprint);
  if (start === undefined) return errorResult(req, portal, 400, "VALIDATION_ERROR", "Invalid after cursor");
  const n = submissionCount(portal, form);
  const span = Math.max(DAY_MS, portal.now() - form.createdAt);
  const tl = makeTimeline(portal, `form-submissions:${formId}`, n, portal.now(), span);
  const contacts = portal.count("contacts");
  const results = [];
  for (let i = start; i < Math.min(n, start + limit); i++) {
    const contactId = portal.idAt("contacts", Math.floor(portal.random("form-sub", formId, i) * contacts));
    const contact = contactId === undefined ? undefined : portal.get("contacts", contactId);
    const p = contact?.properties ?? {};
    results.push({
      conversionId: uuidOf(portal, "conversion", formId, i),
      submittedAt: tl.timeAt(i),
      values: [
        { name: "email", value: p.email ?? `visitor-${i}@example.com` },
        { name: "firstname", value: p.firstname ?? "" },
        { name: "lastname", value: p.lastname ?? "" },
      ],
      pageUrl: `https://www.example.com/contact-us?form=${form.index + 1}`,
    });
  }
  if (start + limit >= n) return { status: 200, body: { results } };
  const token = encodeCursor(start + limit, fingerprint);
  const link = `https://api.hubapi.com/form-integrations/v1/submissions/forms/${formId}?limit=${limit}&after=${token}`;
  return { status: 200, body: { results, paging: { next: { after: token, link } } } };
}

/** Form routes (scope `forms`). */
export const formRoutes: SimRoute[] = [
  { method: "GET", pattern: "/marketing/v3/forms", scopes: ["forms"], handle: listForms },
  { method: "GET", pattern: "/form-integrations/v1/submissions/forms/:formId", scopes: ["forms"], handle: submissions },
];
