import type { Feature } from "../feature.js";
import { customerAssociationRoutes } from "./customer-associations.routes.js";
import { customerAssociationAccess } from "./customer-associations.rules.js";
import { AssociateUserCustomerResolver } from "./resolvers/associate-user-customer.resolver.js";
import { CustomerAssociationResolver } from "./resolvers/customer-association.resolver.js";
import { CustomerAssociationsResolver } from "./resolvers/customer-associations.resolver.js";
import { DissociateUserCustomerResolver } from "./resolvers/dissociate-user-customer.resolver.js";
import { SetCustomerUserRolesResolver } from "./resolvers/set-customer-user-roles.resolver.js";
import { UserCustomerAssociationsResolver } from "./resolvers/user-customer-associations.resolver.js";

export const customerAssociationsFeature: Feature = {
  name: "customer-associations",
  description: "Which users belong to which customers, with their buyer roles",
  resolvers: [
    AssociateUserCustomerResolver,
    DissociateUserCustomerResolver,
    UserCustomerAssociationsResolver,
    CustomerAssociationResolver,
    CustomerAssociationsResolver,
    SetCustomerUserRolesResolver,
  ],
  access: customerAssociationAccess,
  routes: customerAssociationRoutes,
};
