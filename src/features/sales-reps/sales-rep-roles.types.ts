import { Field, ID, InputType, ObjectType } from "type-graphql";
import { AccessTypeEnum } from "./sales-reps.types.js";

@ObjectType({
  description:
    "One clause of a scope rule: an attribute clause (attribute, equals), a customerNumbers clause or a descendantsOf clause",
})
export class SalesRepScopeClause {
  @Field(() => String, { nullable: true, description: "A key of the customers' customerAttributes" })
  attribute!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The attribute\'s value, compared exactly with the attribute as text (5 matches "5")',
  })
  equals!: string | null;

  @Field(() => [String], { nullable: true, description: "Customer numbers; they need not exist yet" })
  customerNumbers!: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: "A customer number: that customer and every customer below it (it need not exist yet)",
  })
  descendantsOf!: string | null;
}

@ObjectType({ description: "Which customers a sales-rep role reaches: those matching any clause" })
export class SalesRepScope {
  @Field(() => [SalesRepScopeClause])
  any!: SalesRepScopeClause[];
}

@ObjectType({
  description:
    "A sales-rep role of the organization: reps with access type ROLE that name it reach the customers its scope selects",
})
export class SalesRepRole {
  @Field(() => ID)
  id!: string;

  @Field(() => String, {
    description: "Unique in the organization, fixed once created; assignments name the role by it",
  })
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => SalesRepScope)
  scope!: SalesRepScope;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@InputType({ description: "Exactly one kind: attribute and equals, customerNumbers, or descendantsOf" })
export class SalesRepScopeClauseInput {
  @Field(() => String, { nullable: true })
  attribute?: string | null;

  @Field(() => String, { nullable: true })
  equals?: string | null;

  @Field(() => [String], { nullable: true })
  customerNumbers?: string[] | null;

  @Field(() => String, { nullable: true })
  descendantsOf?: string | null;
}

@InputType({ description: "A scope rule: customers matching any of 1 to 50 clauses" })
export class SalesRepScopeInput {
  @Field(() => [SalesRepScopeClauseInput])
  any!: SalesRepScopeClauseInput[];
}

@InputType({ description: "A new sales-rep role" })
export class CreateSalesRepRoleInput {
  @Field(() => String, {
    description:
      "1 to 50 lower-case letters, digits, - and _, starting with a letter or digit; unique in the organization",
  })
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => SalesRepScopeInput)
  scope!: SalesRepScopeInput;
}

@InputType({ description: "What to change of a sales-rep role; omitted fields stay as they are" })
export class UpdateSalesRepRoleInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "An empty string clears it" })
  description?: string | null;

  @Field(() => SalesRepScopeInput, { nullable: true, description: "Replaces the whole rule" })
  scope?: SalesRepScopeInput | null;
}

@ObjectType({ description: "What deleteSalesRepRole removed" })
export class DeleteSalesRepRolePayload {
  @Field(() => ID)
  deletedSalesRepRoleId!: string;

  @Field(() => String)
  key!: string;
}

@InputType({ description: "Which customers one assignment reaches" })
export class SetSalesRepAccessInput {
  @Field(() => String)
  organizationSalesRepId!: string;

  @Field(() => AccessTypeEnum)
  accessType!: string;

  @Field(() => String, {
    nullable: true,
    description: "The key of a sales-rep role of the organization: required with ROLE, refused otherwise",
  })
  salesRepRole?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "Whether the customers listed for the assignment bring every customer below them; unchanged when omitted",
  })
  includeDescendants?: boolean | null;
}
