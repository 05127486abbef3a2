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
