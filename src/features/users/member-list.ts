import type { ListSpec } from "../../pagination.js";
import { users } from "./users.tables.js";

/** Sort fields of GET /api/organizations/users and organizationUsers, by the names clients give (any case). */
export const memberListSpec: ListSpec = {
  sortFields: { Email: users.email, FirstName: users.firstName, LastName: users.lastName },
  defaultSort: "Email",
  tieBreaker: users.id,
};
