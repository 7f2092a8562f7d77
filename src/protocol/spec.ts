/**
 * The connector specification `spec` prints: the config's JSON Schema plus what the Airbyte platform reads
 * beside it (documentation link, OAuth flow).
 */
import { configSpecification, OAUTH_TITLE } from "../config.js";
import type { ConnectorSpecification } from "./messages.js";

/**
 * Airbyte's HubSpot setup guide (private app, scopes, OAuth app): the config accepts the same credentials shape,
 * so its setup steps apply as they are; this connector's own options are in the README (`homepage`).
 */
export const DOCUMENTATION_URL = "https://docs.airbyte.com/integrations/sources/hubspot";

const inCredentials = (field: string) => ({ type: "string", path_in_connector_config: ["credentials", field] });

/**
 * Airbyte's "advanced" OAuth flow: when `credentials.credentials_title` is the OAuth one, the platform runs the
 * authorisation with the workspace's client id and secret and writes the refresh token it obtains into
 * `credentials.refresh_token`, so nobody pastes a refresh token by hand.
 */
export const advancedAuth = {
  auth_flow_type: "oauth2.0",
  predicate_key: ["credentials", "credentials_title"],
  predicate_value: OAUTH_TITLE,
  oauth_config_specification: {
    complete_oauth_output_specification: {
      type: "object",
      additionalProperties: false,
      properties: { refresh_token: { ...inCredentials("refresh_token"), path_in_oauth_response: ["refresh_token"] } },
    },
    complete_oauth_server_input_specification: {
      type: "object",
      additionalProperties: false,
      properties: { client_id: { type: "string" }, client_secret: { type: "string" } },
    },
    complete_oauth_server_output_specification: {
      type: "object",
      additionalProperties: false,
      properties: { client_id: inCredentials("client_id"), client_secret: inCredentials("client_secret") },
    },
  },
} as const;

/** Everything `spec` prints inside its SPEC message. */
export const connectorSpecification: ConnectorSpecification = {
  documentationUrl: DOCUMENTATION_URL,
  connectionSpecification: configSpecification,
  supportsIncremental: true,
  advanced_auth: advancedAuth,
};
