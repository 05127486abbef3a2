import { JsonObjectScalar } from "../../graphql/json-scalars.js";
import { ArgsType, Directive, Field, ID, InputType, ObjectType } from "type-graphql";
import { ListFilter, PageArgsOf, PageOf, sortFieldEnum } from "../../graphql/list-types.js";
import { customerListSpec } from "./customer-list.js";

// The federation key is the id: customer numbers are unique only within one organization.
@Directive(`@key(fields: "id")`)
@ObjectType({ description: "A customer account of an organization, keyed by its customer number" })
export class Customer {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The account number from the organization's ERP; unique in the organization" })
  customerNumber!: string;

  @Field(() => String)
  companyName!: string;

  @Field(() => String, { nullable: true })
  companyEmail!: string | null;

  @Field(() => String, { nullable: true })
  companyPhone!: string | null;

  @Field(() => String, { nullable: true })
  companyFax!: string | null;

  @Field(() => Boolean)
  active!: boolean;

  @Field(() => String, { nullable: true, description: "The rep number of the sales rep who serves the customer" })
  repNumber!: string | null;

  @Field(() => String, { nullable: true, description: "Payment terms" })
  terms!: string | null;

  @Field(() => String, { nullable: true })
  externalId!: string | null;

  @Field(() => JsonObjectScalar, { nullable: true, description: "Free-form attributes the organization keeps" })
  customerAttributes!: Record<string, unknown> | null;
}

@InputType({
  description:
    "A customer to create, or to update when its customerNumber exists; on update, omitted fields keep their value",
})
export class UpsertCustomerInput {
  @Field(() => String)
  customerNumber!: string;

  @Field(() => String)
  companyName!: string;

  @Field(() => String, { nullable: true })
  companyEmail?: string | null;

  @Field(() => String, { nullable: true })
  companyPhone?: string | null;

  @Field(() => String, { nullable: true })
  companyFax?: string | null;

  @Field(() => String, { nullable: true, description: "A price tier name of the organization; empty clears it" })
  pricing?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Default true" })
  active?: boolean | null;

  @Field(() => String, { nullable: true })
  repNumber?: string | null;

  @Field(() => String, { nullable: true })
  terms?: string | null;

  @Field(() => String, { nullable: true })
  externalId?: string | null;

  @Field(() => JsonObjectScalar, { nullable: true })
  customerAttributes?: Record<string, unknown> | null;
}

export const CustomerSortField = sortFieldEnum(customerListSpec, "CustomerSortField");

@ArgsType()
export class CustomersArgs extends PageArgsOf(CustomerSortField) {
  @Field(() => [ListFilter], {
    nullable: true,
    description: "On customerNumber, companyName, companyEmail or repNumber",
  })
  filters?: ListFilter[] | null;
}

export const CustomerPage = PageOf(Customer, "CustomerPage");
