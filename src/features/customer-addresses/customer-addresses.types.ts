import { Field, ID, InputType, ObjectType } from "type-graphql";
import { documentedEnum, enumOf } from "../../graphql/enums.js";
import { addressTypes } from "./customer-addresses.tables.js";

export const AddressType = documentedEnum(enumOf(addressTypes), {
  name: "AddressType",
  description: "What an address is for: shipping, billing, or both",
});

export const UpsertStatus = documentedEnum(enumOf(["created", "updated", "unchanged", "error"] as const), {
  name: "UpsertStatus",
  description: "What an upsert did with one item",
});

@ObjectType({ description: "A ship-to or bill-to address of a customer, keyed by the ERP's address number" })
export class CustomerAddress {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The ERP's number of the address; unique within the customer" })
  addressNumber!: string;

  @Field(() => AddressType)
  type!: string;

  @Field(() => String, { nullable: true })
  companyName!: string | null;

  @Field(() => String, { nullable: true })
  contactName!: string | null;

  @Field(() => String)
  line1!: string;

  @Field(() => String, { nullable: true })
  line2!: string | null;

  @Field(() => String, { nullable: true })
  line3!: string | null;

  @Field(() => String)
  city!: string;

  @Field(() => String, { nullable: true })
  region!: string | null;

  @Field(() => String, { nullable: true })
  postalCode!: string | null;

  @Field(() => String, { description: "ISO 3166-1 alpha-2" })
  country!: string;

  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Field(() => Boolean, { description: "The customer's default address for each type this address has" })
  isDefault!: boolean;

  @Field(() => String, { nullable: true })
  externalId!: string | null;
}

@InputType({
  description:
    "An address to create, or to update when its addressNumber exists; on update, omitted optional fields keep their value",
})
export class CustomerAddressInput {
  @Field(() => String)
  addressNumber!: string;

  @Field(() => AddressType)
  type!: string;

  @Field(() => String, { nullable: true })
  companyName?: string | null;

  @Field(() => String, { nullable: true })
  contactName?: string | null;

  @Field(() => String)
  line1!: string;

  @Field(() => String, { nullable: true })
  line2?: string | null;

  @Field(() => String, { nullable: true })
  line3?: string | null;

  @Field(() => String)
  city!: string;

  @Field(() => String, { nullable: true })
  region?: string | null;

  @Field(() => String, { nullable: true })
  postalCode?: string | null;

  @Field(() => String, { description: "ISO 3166-1 alpha-2, any case" })
  country!: string;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Make it the default for its types; the previous default of those types stops being one",
  })
  isDefault?: boolean | null;

  @Field(() => String, { nullable: true })
  externalId?: string | null;
}

@ObjectType({ description: "What an address upsert did with one address" })
export class AddressUpsertResult {
  @Field(() => String)
  addressNumber!: string;

  @Field(() => UpsertStatus)
  status!: string;

  @Field(() => CustomerAddress)
  address!: CustomerAddress;
}

@ObjectType()
export class UpsertCustomerAddressesPayload {
  @Field(() => String)
  customerNumber!: string;

  @Field(() => [AddressUpsertResult])
  results!: AddressUpsertResult[];
}

@ObjectType()
export class DeleteCustomerAddressPayload {
  @Field(() => String)
  customerNumber!: string;

  @Field(() => String)
  deletedAddressNumber!: string;
}
