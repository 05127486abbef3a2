import { Field, ID, InputType, ObjectType } from "type-graphql";
import type { BuyerScopeKind } from "../customer-associations/customer-associations.tables.js";
import { BuyerScopeEnum } from "../customer-associations/customer-associations.types.js";

@ObjectType({ description: "A user of a customer the caller manages, and the buyer roles it holds there" })
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

  @Field(() => BuyerScopeEnum, { description: "Whether the roles reach the customers below this one too" })
  scope!: BuyerScopeKind;
}

@InputType({ description: "A person to invite to a customer the caller manages" })
export class InviteCustomerUserInput {
  @Field(() => String, { description: "An address already registered reuses that account" })
  email!: string;

  @Field(() => String)
  firstName!: string;

  @Field(() => String, { nullable: true })
  lastName?: string | null;

  @Field(() => [String], { description: "Buyer-assignable role keys whose permissions the caller holds" })
  roles!: string[];

  @Field(() => String, {
    nullable: true,
    description:
      "The customer to invite to: the token's by default, or one below the caller's with an inheriting scope",
  })
  customerNumber?: string | null;

  @Field(() => BuyerScopeEnum, {
    nullable: true,
    description: "SELF by default; SELF_AND_DESCENDANTS only from a caller whose own scope is that",
  })
  scope?: BuyerScopeKind | null;
}
