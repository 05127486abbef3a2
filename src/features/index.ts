import type { Feature } from "./feature.js";
import { apiClientsFeature } from "./api-clients/index.js";
import { auditFeature } from "./audit/index.js";
import { customerAddressesFeature } from "./customer-addresses/index.js";
import { customerAssociationsFeature } from "./customer-associations/index.js";
import { customersFeature } from "./customers/index.js";
import { invitationsFeature } from "./invitations/index.js";
import { membershipsFeature } from "./memberships/index.js";
import { organizationsFeature } from "./organizations/index.js";
import { priceTiersFeature } from "./price-tiers/index.js";
import { salesRepsFeature } from "./sales-reps/index.js";
import { sessionsFeature } from "./sessions/index.js";
import { usersFeature } from "./users/index.js";
import { webhooksFeature } from "./webhooks/index.js";

/** Every capability the gateway serves; the schema, rule table and REST routes come from here. */
export const features: readonly Feature[] = [
  sessionsFeature,
  invitationsFeature,
  organizationsFeature,
  usersFeature,
  membershipsFeature,
  priceTiersFeature,
  customersFeature,
  customerAddressesFeature,
  customerAssociationsFeature,
  salesRepsFeature,
  apiClientsFeature,
  auditFeature,
  webhooksFeature,
];
