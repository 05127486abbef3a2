import { Field, Int, ObjectType } from "type-graphql";

@ObjectType("IssuedToken", { description: "A signed JWT and how long it lives" })
export class IssuedTokenType {
  @Field(() => String)
  accessToken!: string;

  @Field(() => String, { description: "Always Bearer" })
  tokenType!: string;

  @Field(() => Int, { description: "Seconds until the token expires" })
  expiresIn!: number;
}

@ObjectType("SignedIn", {
  description: "A sign-in's identity token, and a device token for the client's next sign-ins",
})
export class SignedInType extends IssuedTokenType {
  @Field(() => String, {
    description:
      "Present it (deviceToken) at this account's next sign-ins from this client: they are counted on their own, so failures of others do not lock this client out",
  })
  deviceToken!: string;
}
