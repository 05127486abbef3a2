import { Field, ID, InputType, ObjectType } from "type-graphql";
import type { Role } from "../../auth/roles.js";
import { RoleEnum } from "../users/users.types.js";

@ObjectType({ description: "A machine client of the organization: OAuth client credentials for POST /oauth/token" })
export class ApiClient {
  @Field(() => ID, { description: "The OAuth client_id (gwci_…)" })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => [RoleEnum], { description: "The roles its tokens may carry; API clients may hold ADMIN" })
  roles!: Role[];

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: "Last token exchange or request, to the minute" })
  lastUsedAt!: Date | null;
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

  @Field(() => [RoleEnum], { description: "ADMIN (the only role a machine may hold)" })
  roles!: Role[];
}
