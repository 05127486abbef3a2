import { ArgsType, Field, ID, ObjectType } from "type-graphql";
import { ListFilter, PageArgs, PageOf } from "../../graphql/list-types.js";

@ObjectType({ description: "A user's link to the customer it acts for in one organization" })
export class UserCustomer {
  @Field(() => ID)
  userId!: string;

  @Field(() => String)
  customerNumber!: string;

  @Field(() => ID)
  organizationId!: string;
}

@ArgsType()
export class UserCustomerAssociationsArgs extends PageArgs {
  @Field(() => [ListFilter], { nullable: true, description: "On UserId or CustomerNumber" })
  filters?: ListFilter[] | null;
}

export const UserCustomerPage = PageOf(UserCustomer, "UserCustomerPage");
