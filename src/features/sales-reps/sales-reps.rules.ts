import { identityOr, requires, type AccessDeclarations } from "../../auth/access.js";

export const salesRepAccess = {
  Query: {
    organizationSalesReps: requires("sales_reps.read"),
    // The document's "Admin policy" contradicts its own example; read as the rep's own data (docs/decisions.md).
    mySalesRepOrganizations: identityOr("customers.read_assigned"),
    mySalesRepCustomers: requires("customers.read_assigned"),
    salesRepRoles: requires("sales_reps.read"),
  },
  Mutation: {
    addSalesRep: requires("sales_reps.manage"),
    updateSalesRepNumber: requires("sales_reps.manage"),
    activateSalesRep: requires("sales_reps.manage"),
    deactivateSalesRep: requires("sales_reps.manage"),
    removeSalesRep: requires("sales_reps.manage"),
    setSalesRepAccess: requires("sales_reps.manage"),
    createSalesRepRole: requires("sales_reps.manage"),
    updateSalesRepRole: requires("sales_reps.manage"),
    deleteSalesRepRole: requires("sales_reps.manage"),
    // In the token's organization here; the service also requires admin of every company named.
    createSalesRep: requires("sales_reps.manage"),
  },
} satisfies AccessDeclarations;
