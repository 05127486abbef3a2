import { Field, ID, InputType, ObjectType } from "type-graphql";

@ObjectType({ description: "A user of the caller's own customer and the buyer roles it holds there" })
export class CustomerUser {
  @Field(() => ID)
  userId!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String)
  firstName!: string;

  @Field(() => String)
  lastName!: string;

  @Field(() => String)
  customerNumber!: string;

  @Field(() => [String], { description: "Buyer role keys (see roles)" })
  roles!: string[];
}

@InputType({ description: "A person to invite to the caller's customer" })
export class InviteCustomerUserInput {
  @Field(() => String, { description: "An address already registered reuses that account" })
  email!: string;

  @Field(() => String)
  firstName!: string;

  @Field(() => String, { nullable: true })
  lastName?: string | null;

  @Field(() => [String], { description: "Buyer-assignable role keys whose permissions the caller holds" })
  roles!: string[];
}
