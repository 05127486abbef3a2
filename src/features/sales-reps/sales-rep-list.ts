import type { ListSpec } from "../../pagination.js";
import { users } from "../users/users.tables.js";
import { organizationSalesReps } from "./sales-reps.tables.js";

/** Sort fields of GET /api/organizations/salesreps and organizationSalesReps, by the names clients give (any case). */
export const salesRepListSpec: ListSpec = {
  sortFields: {
    RepNumber: organizationSalesReps.repNumber,
    FirstName: users.firstName,
    LastName: users.lastName,
    Email: users.email,
    PhoneNumber: users.phoneNumber,
    Active: organizationSalesReps.active,
  },
  defaultSort: "RepNumber",
  tieBreaker: organizationSalesReps.id,
};
