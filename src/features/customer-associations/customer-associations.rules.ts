import { isAdmin } from "../../graphql/rules.js";

export const customerAssociationRules = {
  Query: {
    userCustomerAssociations: isAdmin,
    customerAssociation: isAdmin,
    customerAssociations: isAdmin,
  },
  Mutation: {
    associateUserCustomer: isAdmin,
    dissociateUserCustomer: isAdmin,
  },
};
