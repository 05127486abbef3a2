import { Field, ID, InputType, ObjectType } from "type-graphql";

@ObjectType({ description: "A machine client of the organization: OAuth client credentials for POST /oauth/token" })
export class ApiClient {
  @Field(() => ID, { description: "The OAuth client_id (gwci_…)" })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => [String], {
    description: "The roles its tokens may carry: Admin and keys of custom seller roles that need no person",
  })
  roles!: string[];

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: "Last token exchange or request, to the minute" })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "When revokeApiClient revoked it; null while it is active" })
  revokedAt!: Date | null;
}

@ObjectType({ description: "A new API client and its secret, which is shown this once and never again" })
export class CreatedApiClient {
  @Field(() => ApiClient)
  client!: ApiClient;

  @Field(() => String, { description: "The OAuth client_secret (gwcs_…); only a hash of it is kept" })
  clientSecret!: string;
}

@InputType()
export class CreateApiClientInput {
  @Field(() => String)
  name!: string;

  @Field(() => [String], {
    description:
      "Admin and/or keys of custom seller roles whose permissions need no person; the caller must hold them all",
  })
  roles!: string[];
}
