import type { ListSpec } from "../../pagination.js";
import { customers } from "../customers/customers.tables.js";
import { userCustomers } from "./customer-associations.tables.js";

/** Sort and filter fields of the associations list, by the names clients give (any case). */
export const associationListSpec: ListSpec = {
  sortFields: { UserId: userCustomers.userId, CustomerNumber: customers.customerNumber },
  defaultSort: "UserId",
  tieBreaker: userCustomers.id,
  filterFields: { UserId: userCustomers.userId, CustomerNumber: customers.customerNumber },
};
