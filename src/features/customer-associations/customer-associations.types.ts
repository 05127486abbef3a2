import { ArgsType, Field, ID, ObjectType } from "type-graphql";
import { documentedEnum, enumOf } from "../../graphql/enums.js";
import { ListFilter, PageArgsOf, PageOf, sortFieldEnum } from "../../graphql/list-types.js";
import { associationListSpec } from "./association-list.js";
import { buyerScopes, type BuyerScopeKind } from "./customer-associations.tables.js";

export const BuyerScopeEnum = documentedEnum(enumOf(buyerScopes), {
  name: "BuyerScope",
  description:
    "How far a user's buyer roles reach: its customer (SELF), or its customer and every customer below it (SELF_AND_DESCENDANTS)",
});

@ObjectType({ description: "A user's link to the customer it acts for in one organization" })
export class UserCustomer {
  @Field(() => ID)
  userId!: string;

  @Field(() => String)
  customerNumber!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field(() => [String], { description: "The buyer role keys the user holds for the customer (see roles)" })
  roles!: string[];

  @Field(() => BuyerScopeEnum, { description: "Whether the roles reach the customers below this one too" })
  scope!: BuyerScopeKind;
}

export const AssociationSortField = sortFieldEnum(associationListSpec, "AssociationSortField");

@ArgsType()
export class UserCustomerAssociationsArgs extends PageArgsOf(AssociationSortField) {
  @Field(() => [ListFilter], { nullable: true, description: "On UserId or CustomerNumber" })
  filters?: ListFilter[] | null;
}

export const UserCustomerPage = PageOf(UserCustomer, "UserCustomerPage");
