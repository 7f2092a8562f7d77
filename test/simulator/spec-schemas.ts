/**
 * Response schemas of the routes the simulator serves, written from HubSpot's OpenAPI specs (repo
 * HubSpot/HubSpot-public-api-spec-collection, PublicApiSpecs/<Area>/<Api>/Rollouts/<n>/v3/<api>.json; the
 * file of each group is named above it). Only the facts the tests need: required fields, types, enums,
 * nullability. Where HubSpot's real answers are looser than its spec, the schema follows the real answers
 * and says why.
 */
import type { ErrorObject } from "ajv";
import { newAjv } from "../helpers/protocol-validator.js";

type Schema = Record<string, unknown>;

const ISO = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?(Z|[+-]\\d{2}:\\d{2})$";

export const str: Schema = { type: "string" };
export const bool: Schema = { type: "boolean" };
export const int: Schema = { type: "integer" };
export const num: Schema = { type: "number" };
export const dateTime: Schema = { type: "string", pattern: ISO };
export const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: "null" }] });
export const oneOf = (...values: string[]): Schema => ({ type: "string", enum: values });
export const arr = (items: Schema): Schema => ({ type: "array", items });
export const map = (values: Schema): Schema => ({ type: "object", additionalProperties: values });
/** An object with these required keys; `optional` keys are typed when present, others are allowed. */
export const obj = (required: Record<string, Schema>, optional: Record<string, Schema> = {}): Schema => ({
  type: "object",
  required: Object.keys(required),
  properties: { ...optional, ...required },
});
/** Only these keys (for the known-gap checks: a key HubSpot omits must not appear). */
export const closed = (required: Record<string, Schema>, optional: Record<string, Schema> = {}): Schema => ({
  ...obj(required, optional),
  additionalProperties: false,
});

// ---- shared (every spec's components) --------------------------------------------------------------
const nextPage = obj({ after: str }, { link: str });
export const paging = obj({}, { next: nextPage, prev: obj({ before: str }, { link: str }) });
export const error = obj(
  { category: str, correlationId: str, message: str },
  { status: str, errors: arr(obj({ message: str })) },
);

// ---- CRM objects (CRM/Contacts/…/424/v3/contacts.json and the other per-object specs) -----------------
const valueWithTimestamp = obj({ sourceType: str, timestamp: dateTime, value: str }, { sourceId: str });
const simpleObject = {
  required: {
    createdAt: dateTime,
    id: { type: "string", pattern: "^\\d+$" },
    properties: map(nullable(str)),
    updatedAt: dateTime,
  },
  optional: { archived: bool, archivedAt: dateTime, propertiesWithHistory: map(arr(valueWithTimestamp)) },
};
export const simplePublicObject = obj(simpleObject.required, simpleObject.optional);
export const objectWithAssociations = obj(simpleObject.required, {
  ...simpleObject.optional,
  associations: map(obj({ results: arr(obj({ id: str, type: str })) }, { paging })),
});
export const listPage = obj({ results: arr(objectWithAssociations) }, { paging });
/** CollectionResponseWithTotalSimplePublicObject: `total` is required; search pages carry no `link`. */
export const searchPage = obj({ results: arr(simplePublicObject), total: int }, { paging });
// StandardError requires `links` and `errors` too, but HubSpot's real 207 items carry neither (nor does any
// capture we have), so the simulator keeps the real shape and the schema asks only for the rest.
const batchError = obj({ status: str, category: str, message: str, context: map(arr(str)) });
export const batchResponse = obj(
  {
    completedAt: dateTime,
    results: arr(simplePublicObject),
    startedAt: dateTime,
    status: oneOf("PENDING", "PROCESSING", "CANCELED", "COMPLETE"),
  },
  { numErrors: int, errors: arr(batchError), requestedAt: dateTime, links: map(str) },
);

// ---- Associations v4 (CRM/Associations/…/130902/v4/associations.json) ---------------------------------
// The spec types toObjectId as a string; HubSpot's answers carry a number (AB unit-test payloads and the
// official SDKs' lenient parsing), which the simulator keeps. `label` is null on unlabelled types.
const associationType = obj({
  category: oneOf("HUBSPOT_DEFINED", "USER_DEFINED", "INTEGRATOR_DEFINED", "WORK"),
  typeId: int,
  label: nullable(str),
});
const toObject = obj({ toObjectId: { type: ["integer", "string"] }, associationTypes: arr(associationType) });
export const assocBatch = obj(
  {
    status: oneOf("PENDING", "PROCESSING", "CANCELED", "COMPLETE"),
    results: arr(obj({ from: obj({ id: str }), to: arr(toObject) }, { paging })),
    startedAt: dateTime,
    completedAt: dateTime,
  },
  { numErrors: int, errors: arr(batchError) },
);
export const assocPage = obj({ results: arr(toObject) }, { paging });

// ---- Properties (CRM/Properties/…/145899/v3/properties.json) -----------------------------------------
const propertyType = oneOf("bool", "date", "datetime", "enumeration", "number", "phone_number", "string");
const fieldType = oneOf(
  "booleancheckbox",
  "calculation_equation",
  "checkbox",
  "date",
  "file",
  "html",
  "number",
  "phonenumber",
  "radio",
  "select",
  "text",
  "textarea",
);
const option = obj({ label: str, value: str, displayOrder: int, hidden: bool }, { description: str });
export const property = obj(
  { name: str, label: str, type: propertyType, fieldType, groupName: str, description: str, options: arr(option) },
  {
    displayOrder: int,
    calculated: bool,
    externalOptions: bool,
    hasUniqueValue: bool,
    hidden: bool,
    hubspotDefined: bool,
    formField: bool,
    modificationMetadata: obj({ archivable: bool, readOnlyDefinition: bool, readOnlyValue: bool }),
    dataSensitivity: oneOf("non_sensitive", "sensitive", "highly_sensitive"),
    createdAt: dateTime,
    updatedAt: dateTime,
    archived: bool,
  },
);
export const properties = obj({ results: arr(property) });

// ---- Schemas (CRM/Schemas/…/145900/v3/schemas.json; the shape of GR's real capture) --------------------
export const objectSchema = obj(
  {
    id: str,
    name: str,
    objectTypeId: { type: "string", pattern: "^2-\\d+$" },
    fullyQualifiedName: str,
    labels: obj({ singular: str, plural: str }),
    requiredProperties: arr(str),
    properties: arr(property),
    associations: arr(
      obj(
        { fromObjectTypeId: str, toObjectTypeId: str, id: str },
        { name: str, cardinality: str, inverseCardinality: str },
      ),
    ),
  },
  {
    searchableProperties: arr(str),
    primaryDisplayProperty: str,
    secondaryDisplayProperties: arr(str),
    archived: bool,
    createdAt: dateTime,
    updatedAt: dateTime,
  },
);
export const schemas = obj({ results: arr(objectSchema) });

// ---- Owners (CRM/Crm Owners/…/146888/v3/crmOwners.json) -----------------------------------------------
export const owner = obj(
  { archived: bool, createdAt: dateTime, id: str, type: oneOf("PERSON", "QUEUE"), updatedAt: dateTime },
  {
    email: str,
    firstName: str,
    lastName: str,
    // An archived owner's user is gone: HubSpot answers userId null and keeps userIdIncludingInactive (the
    // reason that field exists), looser than the spec's plain integer.
    userId: nullable(int),
    userIdIncludingInactive: int,
    teams: arr(obj({ id: str, name: str, primary: bool })),
  },
);
export const owners = obj({ results: arr(owner) }, { paging });

// ---- Pipelines (CRM/Pipelines/…/145896/v3/pipelines.json) ---------------------------------------------
const stage = obj(
  { archived: bool, createdAt: dateTime, displayOrder: int, id: str, label: str, updatedAt: dateTime },
  {
    archivedAt: dateTime,
    metadata: map(str),
    writePermissions: oneOf("CRM_PERMISSIONS_ENFORCEMENT", "READ_ONLY", "INTERNAL_ONLY"),
  },
);
export const pipeline = obj(
  {
    archived: bool,
    createdAt: dateTime,
    displayOrder: int,
    id: str,
    label: str,
    stages: arr(stage),
    updatedAt: dateTime,
  },
  { archivedAt: dateTime },
);
export const pipelines = obj({ results: arr(pipeline) });

// ---- OAuth (Auth/Oauth/…/155908/v1/oauth.json) and private-app token info --------------------------------
export const accessToken = obj(
  { access_token: str, expires_in: int, refresh_token: str, token_type: str, token_use: str },
  { hub_id: int, user_id: int, scopes: arr(str), id_token: str },
);
export const accessTokenInfo = obj(
  { token: str, scopes: arr(str), hub_id: int, app_id: int, expires_in: int, user_id: int, token_type: str },
  { user: str, hub_domain: str, is_private_distribution: bool },
);
export const privateAppTokenInfo = obj({ userId: int, hubId: int, appId: int, scopes: arr(str) });

// ---- Lists (CRM/Lists/…/144891/v3/lists.json) ---------------------------------------------------------
// `additionalProperties` holds only the keys that have a value: HubSpot omits unset ones, never null.
const list = obj(
  {
    listId: { type: "string", pattern: "^\\d+$" },
    listVersion: int,
    name: str,
    objectTypeId: str,
    processingType: oneOf("MANUAL", "DYNAMIC", "SNAPSHOT"),
    processingStatus: str,
  },
  {
    createdAt: dateTime,
    updatedAt: dateTime,
    filtersUpdatedAt: dateTime,
    deletedAt: dateTime,
    createdById: str,
    updatedById: str,
    additionalProperties: map(str),
  },
);
export const listSearch = obj({ lists: arr(list), hasMore: bool, offset: int, total: int });
export const memberships = obj(
  { results: arr(obj({ recordId: str, membershipTimestamp: dateTime })) },
  { paging, total: int },
);

// ---- Forms (Marketing/Forms/…/144909/v3/forms.json) ----------------------------------------------------
const formStyle = obj(
  Object.fromEntries(
    [
      "backgroundWidth",
      "fontFamily",
      "helpTextColor",
      "helpTextSize",
      "labelTextColor",
      "labelTextSize",
      "legalConsentTextColor",
      "legalConsentTextSize",
      "submitColor",
      "submitFontColor",
      "submitSize",
    ]
      .map((k) => [k, str] as [string, Schema])
      .concat([["submitAlignment", oneOf("center", "left", "right")]]),
  ),
);
const formField = obj({
  dependentFields: arr(obj({})),
  fieldType: str,
  hidden: bool,
  label: str,
  name: str,
  objectTypeId: str,
  required: bool,
});
export const emailField = obj({
  fieldType: oneOf("email"),
  validation: obj({ blockedEmailDomains: arr(str), useDefaultBlockList: bool }),
});
export const form = obj({
  archived: bool,
  configuration: obj({
    allowLinkToResetKnownValues: bool,
    archivable: bool,
    cloneable: bool,
    createNewContactForNewEmail: bool,
    editable: bool,
    language: str,
    lifecycleStages: arr(obj({ objectTypeId: str, value: str })),
    notifyContactOwner: bool,
    notifyRecipients: arr(str),
    postSubmitAction: obj({ type: oneOf("redirect_url", "thank_you"), value: str }),
    prePopulateKnownValues: bool,
    recaptchaEnabled: bool,
  }),
  createdAt: dateTime,
  displayOptions: obj({
    renderRawHtml: bool,
    style: formStyle,
    submitButtonText: str,
    theme: oneOf("canvas", "default_style", "legacy", "linear", "round", "sharp"),
  }),
  fieldGroups: arr(obj({ groupType: str, richTextType: str, fields: arr(formField) })),
  formType: oneOf("hubspot", "captured", "flow", "blog_comment"),
  id: str,
  legalConsentOptions: obj({
    type: oneOf("none", "legitimate_interest", "explicit_consent_to_process", "implicit_consent_to_process"),
  }),
  name: str,
  updatedAt: dateTime,
});
export const forms = obj({ results: arr(form) }, { paging });

// ---- Marketing emails (Marketing/Marketing Emails/…/145892/v3/marketingEmails.json) ---------------------
// PublicEmail's required fields, plus `isAb`, which HubSpot sends on every email (issue 8).
export const marketingEmail = obj(
  {
    content: obj({}),
    from: obj({}, { fromName: str, replyTo: str, customReplyTo: str }),
    id: str,
    isAb: bool,
    name: str,
    sendOnPublish: bool,
    state: oneOf("AUTOMATED", "AUTOMATED_DRAFT", "DRAFT", "PUBLISHED", "SCHEDULED"),
    subcategory: str,
    subject: str,
    to: obj({}),
  },
  {
    type: oneOf("AB_EMAIL", "BATCH_EMAIL", "AUTOMATED_EMAIL", "RSS_EMAIL", "LOCALTIME_EMAIL"),
    createdAt: dateTime,
    updatedAt: dateTime,
    publishDate: dateTime,
    isPublished: bool,
    isTransactional: bool,
    archived: bool,
    allEmailCampaignIds: arr(str),
    primaryEmailCampaignId: str,
    stats: obj({ counters: map(int), deviceBreakdown: map(map(int)), qualifierStats: obj({}), ratios: map(num) }),
  },
);
export const marketingEmails = obj({ results: arr(marketingEmail), total: int }, { paging });

// ---- Users (Settings/User Provisioning/…/144927/v3/userProvisioning.json) -------------------------------
export const users = obj(
  {
    results: arr(
      obj(
        { email: str, id: str },
        {
          firstName: str,
          lastName: str,
          roleId: str,
          roleIds: arr(str),
          primaryTeamId: str,
          secondaryTeamIds: arr(str),
          superAdmin: bool,
        },
      ),
    ),
  },
  { paging },
);

// ---- Account info (Account/Account Info/…/144923/v3/accountInfo.json, PortalInformationResponse) ----------
export const accountDetails = obj({
  portalId: int,
  accountType: oneOf("APP_DEVELOPER", "DEVELOPER_TEST", "SANDBOX", "STANDARD"),
  timeZone: str,
  companyCurrency: str,
  additionalCurrencies: arr(str),
  utcOffset: str,
  utcOffsetMilliseconds: int,
  uiDomain: str,
  dataHostingLocation: str,
});

// ---- Events v3 (Events/Events/…/147897/v3/events.json) -------------------------------------------------
// ExternalUnifiedEvent.properties maps to plain strings: unset properties are left out, not null.
export const events = obj(
  {
    results: arr(
      obj({ eventType: str, id: str, objectId: str, objectType: str, occurredAt: dateTime, properties: map(str) }),
    ),
  },
  { paging },
);

// ---- validation ------------------------------------------------------------------------------------------
const ajv = newAjv();

/** Human-readable schema violations of `body` (empty when it conforms). */
export function violations(schema: Schema, body: unknown): string[] {
  const validate = ajv.compile(schema);
  if (validate(body)) return [];
  return (validate.errors ?? []).slice(0, 10).map((e: ErrorObject) => `${e.instancePath || "/"} ${e.message}`);
}
