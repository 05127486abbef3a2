import { Field, ID, ObjectType } from "type-graphql";

@ObjectType({ description: "What a person held in the organization it was taken out of" })
export class RemovedOrganizationUser {
  @Field(() => ID)
  userId!: string;

  @Field(() => Boolean)
  isAdmin!: boolean;

  @Field(() => [ID], { description: "Customers the person was associated with there" })
  customerIds!: string[];

  @Field(() => [ID], { description: "Its sales rep assignments there" })
  organizationSalesRepIds!: string[];
}

@ObjectType({ description: "The organization a person left with the link from its e-mail" })
export class LeftOrganization {
  @Field(() => String)
  organizationName!: string;

  @Field(() => Boolean, { description: "Whether the organization's later e-mail to the person is suppressed" })
  blocked!: boolean;
}
