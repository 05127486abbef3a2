import type { Feature } from "../feature.js";
import { ActivateSalesRepResolver } from "./resolvers/activate-sales-rep.resolver.js";
import { AddSalesRepResolver } from "./resolvers/add-sales-rep.resolver.js";
import { CreateSalesRepResolver } from "./resolvers/create-sales-rep.resolver.js";
import { DeactivateSalesRepResolver } from "./resolvers/deactivate-sales-rep.resolver.js";
import { MySalesRepCustomersResolver } from "./resolvers/my-sales-rep-customers.resolver.js";
import { MySalesRepOrganizationsResolver } from "./resolvers/my-sales-rep-organizations.resolver.js";
import { OrganizationSalesRepFieldsResolver } from "./resolvers/organization-sales-rep-fields.resolver.js";
import { OrganizationSalesRepsResolver } from "./resolvers/organization-sales-reps.resolver.js";
import { RemoveSalesRepResolver } from "./resolvers/remove-sales-rep.resolver.js";
import { SalesRepFieldsResolver } from "./resolvers/sales-rep-fields.resolver.js";
import { UpdateSalesRepNumberResolver } from "./resolvers/update-sales-rep-number.resolver.js";
import { CreateSalesRepRoleResolver } from "./resolvers/create-sales-rep-role.resolver.js";
import { DeleteSalesRepRoleResolver } from "./resolvers/delete-sales-rep-role.resolver.js";
import { SalesRepRolesResolver } from "./resolvers/sales-rep-roles.resolver.js";
import { SetSalesRepAccessResolver } from "./resolvers/set-sales-rep-access.resolver.js";
import { UpdateSalesRepRoleResolver } from "./resolvers/update-sales-rep-role.resolver.js";
import { salesRepRoleRoutes } from "./sales-rep-roles.routes.js";
import { salesRepRoutes } from "./sales-reps.routes.js";
import { salesRepAccess } from "./sales-reps.rules.js";
import { assignmentReference, salesRepReference } from "./sales-reps.service.js";

export const salesRepsFeature: Feature = {
  name: "sales-reps",
  description: "Sales reps, their assignments and sales-rep roles",
  resolvers: [
    OrganizationSalesRepsResolver,
    MySalesRepOrganizationsResolver,
    MySalesRepCustomersResolver,
    AddSalesRepResolver,
    UpdateSalesRepNumberResolver,
    ActivateSalesRepResolver,
    DeactivateSalesRepResolver,
    RemoveSalesRepResolver,
    CreateSalesRepResolver,
    SetSalesRepAccessResolver,
    SalesRepRolesResolver,
    CreateSalesRepRoleResolver,
    UpdateSalesRepRoleResolver,
    DeleteSalesRepRoleResolver,
    OrganizationSalesRepFieldsResolver,
    SalesRepFieldsResolver,
  ],
  access: salesRepAccess,
  routes: [...salesRepRoutes, ...salesRepRoleRoutes],
  // As organizationSalesReps: an admin's view of the reps of its organization.
  entities: {
    OrganizationSalesRep: { readAs: ["organizationSalesReps"], find: assignmentReference },
    SalesRep: { readAs: ["organizationSalesReps"], find: salesRepReference },
  },
};
