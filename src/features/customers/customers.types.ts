import { JsonObjectScalar } from "../../graphql/json-scalars.js";
import { ArgsType, Directive, Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";
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

  @Field(() => String, { nullable: true, description: "The ERP's code of the customer's payment terms" })
  paymentTermsCode!: string | null;

  @Field(() => Int, { nullable: true, description: "Days from invoice to payment due" })
  netDays!: number | null;

  @Field(() => Float, { nullable: true, description: "The credit the ERP allows, in creditCurrency" })
  creditLimit!: number | null;

  @Field(() => String, { nullable: true, description: "ISO 4217 currency of creditLimit and availableCredit" })
  creditCurrency!: string | null;

  @Field(() => Boolean, { description: "Set by the ERP to stop new orders; access tokens for the customer carry it" })
  creditHold!: boolean;

  @Field(() => Float, { nullable: true, description: "Credit left as the ERP last reported it, in creditCurrency" })
  availableCredit!: number | null;
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

  @Field(() => String, {
    nullable: true,
    description:
      "The customerNumber of the parent customer in the same organization; null detaches it (deleting nothing)",
  })
  parentCustomerNumber?: string | null;

  @Field(() => String, { nullable: true })
  paymentTermsCode?: string | null;

  @Field(() => Int, { nullable: true, description: "0 to 3650" })
  netDays?: number | null;

  @Field(() => Float, { nullable: true, description: "0 or more, rounded to cents; needs creditCurrency" })
  creditLimit?: number | null;

  @Field(() => String, { nullable: true, description: "ISO 4217" })
  creditCurrency?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Default false" })
  creditHold?: boolean | null;

  @Field(() => Float, { nullable: true, description: "As the ERP reports it; may be negative" })
  availableCredit?: number | null;
}

export const CustomerSortField = sortFieldEnum(customerListSpec, "CustomerSortField");

@ArgsType()
export class CustomersArgs extends PageArgsOf(CustomerSortField) {
  @Field(() => [ListFilter], {
    nullable: true,
    description: "On customerNumber, companyName, companyEmail or repNumber",
  })
  filters?: ListFilter[] | null;

  @Field(() => String, { nullable: true, description: "Only the direct children of this customer" })
  parentCustomerNumber?: string | null;

  @Field(() => String, { nullable: true, description: "Only this customer and every customer below it" })
  rootCustomerNumber?: string | null;
}

export const CustomerPage = PageOf(Customer, "CustomerPage");

@ArgsType()
export class CustomerChildrenArgs extends PageArgsOf(CustomerSortField) {}
