import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import type { CustomerRow } from "../../customers/customers.tables.js";
import { Customer } from "../../customers/customers.types.js";
import {
  addressesOf,
  deleteCustomerAddress,
  listCustomerAddresses,
  upsertCustomerAddresses,
} from "../customer-addresses.service.js";
import {
  CustomerAddress,
  CustomerAddressInput,
  DeleteCustomerAddressPayload,
  UpsertCustomerAddressesPayload,
} from "../customer-addresses.types.js";

@Resolver()
export class CustomerAddressesResolver {
  @Query(() => [CustomerAddress], {
    description: "A customer's addresses: Admin, or a buyer or rep who reaches that customer",
  })
  customerAddresses(@Ctx() ctx: RequestContext, @Arg("customerNumber", () => String) customerNumber: string) {
    return listCustomerAddresses(ctx, customerNumber);
  }

  @Mutation(() => UpsertCustomerAddressesPayload, {
    description:
      "Creates or updates one or more addresses of a customer by address number; each answers created, updated or unchanged",
  })
  upsertCustomerAddresses(
    @Ctx() ctx: RequestContext,
    @Arg("customerNumber", () => String) customerNumber: string,
    @Arg("addresses", () => [CustomerAddressInput]) addresses: CustomerAddressInput[],
  ) {
    return upsertCustomerAddresses(ctx, customerNumber, addresses);
  }

  @Mutation(() => DeleteCustomerAddressPayload, { description: "Deletes one address of a customer" })
  deleteCustomerAddress(
    @Ctx() ctx: RequestContext,
    @Arg("customerNumber", () => String) customerNumber: string,
    @Arg("addressNumber", () => String) addressNumber: string,
  ) {
    return deleteCustomerAddress(ctx, customerNumber, addressNumber);
  }
}

@Resolver(() => Customer)
export class CustomerAddressFieldsResolver {
  @FieldResolver(() => [CustomerAddress], {
    description: "The customer's addresses: Admin, or a buyer or rep who reaches this customer",
  })
  addresses(@Root() customer: CustomerRow, @Ctx() ctx: RequestContext) {
    return addressesOf(ctx, customer);
  }
}
