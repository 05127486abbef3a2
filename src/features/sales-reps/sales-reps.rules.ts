import { hasIdentityOr, isAdmin, isSalesRep } from "../../graphql/rules.js";

export const salesRepRules = {
  Query: {
    organizationSalesReps: isAdmin,
    // The document's "Admin policy" contradicts its own example; read as the rep's own data (docs/decisions.md).
    mySalesRepOrganizations: hasIdentityOr("SalesRep"),
    mySalesRepCustomers: isSalesRep,
    salesRepRoles: isAdmin,
  },
  Mutation: {
    addSalesRep: isAdmin,
    updateSalesRepNumber: isAdmin,
    activateSalesRep: isAdmin,
    deactivateSalesRep: isAdmin,
    removeSalesRep: isAdmin,
    setSalesRepAccess: isAdmin,
    createSalesRepRole: isAdmin,
    updateSalesRepRole: isAdmin,
    deleteSalesRepRole: isAdmin,
    // Admin of the token's organization here; the service also requires admin of every company named.
    createSalesRep: isAdmin,
  },
};
