import type { ListSpec } from "../../pagination.js";
import { customers } from "./customers.tables.js";

/** Sort and filter fields of every customer list (GET /api/customers, a rep's customers). */
export const customerListSpec: ListSpec = {
  sortFields: {
    CustomerNumber: customers.customerNumber,
    CompanyName: customers.companyName,
    Name: customers.companyName,
    CompanyEmail: customers.companyEmail,
    RepNumber: customers.repNumber,
  },
  defaultSort: "CustomerNumber",
  tieBreaker: customers.id,
  filterFields: {
    customerNumber: customers.customerNumber,
    companyName: customers.companyName,
    companyEmail: customers.companyEmail,
    repNumber: customers.repNumber,
  },
};
