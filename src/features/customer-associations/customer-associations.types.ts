import { ArgsType, Field, ID, ObjectType } from "type-graphql";
import { ListFilter, PageArgsOf, PageOf, sortFieldEnum } from "../../graphql/list-types.js";
import { associationListSpec } from "./association-list.js";

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
}

export const AssociationSortField = sortFieldEnum(associationListSpec, "AssociationSortField");

@ArgsType()
export class UserCustomerAssociationsArgs extends PageArgsOf(AssociationSortField) {
  @Field(() => [ListFilter], { nullable: true, description: "On UserId or CustomerNumber" })
  filters?: ListFilter[] | null;
}

export const UserCustomerPage = PageOf(UserCustomer, "UserCustomerPage");
