import { Field, InputType, Int, ObjectType } from "type-graphql";
import {
  AddressUpsertResult,
  CustomerAddressInput,
  UpsertStatus,
} from "../customer-addresses/customer-addresses.types.js";
import { Customer, UpsertCustomerInput } from "./customers.types.js";

@InputType({ description: "One customer of a batch upsert, with its addresses" })
export class UpsertCustomersItemInput extends UpsertCustomerInput {
  @Field(() => [CustomerAddressInput], {
    nullable: true,
    description: "Addresses to create or update by addressNumber; addresses not listed stay as they are",
  })
  addresses?: CustomerAddressInput[] | null;
}

@ObjectType({ description: "One field's problem" })
export class FieldProblem {
  @Field(() => String, {
    description: "The item's field, as in the input (`parentCustomerNumber`, `addresses[0].country`)",
  })
  field!: string;

  @Field(() => String)
  message!: string;
}

@ObjectType({ description: "What a batch upsert did with one customer" })
export class CustomerUpsertResult {
  @Field(() => Int, { description: "The item's position in the input, from 0" })
  index!: number;

  @Field(() => String)
  customerNumber!: string;

  @Field(() => UpsertStatus, { description: "updated also when only its addresses changed" })
  status!: string;

  @Field(() => [FieldProblem], { description: "Empty unless the status is error" })
  errors!: FieldProblem[];

  @Field(() => Customer, { nullable: true, description: "Null for an item with errors" })
  customer!: Customer | null;

  @Field(() => [AddressUpsertResult])
  addresses!: AddressUpsertResult[];
}

@ObjectType({ description: "The answer of a batch upsert: totals and one result per item, in input order" })
export class UpsertCustomersPayload {
  @Field(() => Int)
  created!: number;

  @Field(() => Int)
  updated!: number;

  @Field(() => Int)
  unchanged!: number;

  @Field(() => Int, { description: "Items refused; only with partial, since otherwise one refusal refuses the batch" })
  failed!: number;

  @Field(() => [CustomerUpsertResult])
  results!: CustomerUpsertResult[];
}
