import { Field, ID, ObjectType } from "type-graphql";

@ObjectType({ description: "A named price list of an organization, in one currency" })
export class PriceTier {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "Unique within the organization, compared case-insensitively" })
  name!: string;

  @Field(() => String, { description: "ISO 4217 currency code" })
  currencyCode!: string;
}

@ObjectType({ description: "What deletePriceTier removed; the tier itself no longer exists" })
export class DeletePriceTierPayload {
  @Field(() => ID)
  deletedPriceTierId!: string;

  @Field(() => String)
  name!: string;
}
