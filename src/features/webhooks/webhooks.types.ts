import { ArgsType, Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { PageArgsOf, PageOf, sortFieldEnum } from "../../graphql/list-types.js";
import { deliveryList } from "./delivery-list.js";

@ObjectType({ description: "Where the organization's events are posted; the secret is never shown again" })
export class WebhookEndpoint {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  url!: string;

  @Field(() => [String])
  eventTypes!: string[];

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => String, { nullable: true, description: "Why the gateway disabled the endpoint, if it did" })
  disabledReason!: string | null;
}

@ObjectType({ description: "A new endpoint and its signing secret, shown this once" })
export class CreatedWebhookEndpoint {
  @Field(() => WebhookEndpoint)
  endpoint!: WebhookEndpoint;

  @Field(() => String, { description: "whsec_…: verify signatures with it (Standard Webhooks)" })
  secret!: string;
}

@ObjectType({ description: "What deleteWebhookEndpoint removed, with its deliveries" })
export class DeleteWebhookEndpointPayload {
  @Field(() => ID)
  deletedWebhookEndpointId!: string;

  @Field(() => WebhookEndpoint, { description: "The endpoint as it was; it no longer exists" })
  endpoint!: WebhookEndpoint;
}

@InputType()
export class CreateWebhookEndpointInput {
  @Field(() => String)
  url!: string;

  @Field(() => [String])
  eventTypes!: string[];

  @Field(() => Boolean, { nullable: true, defaultValue: true })
  enabled?: boolean | null;
}

@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => [String], { nullable: true })
  eventTypes?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: "true re-enables an endpoint the gateway disabled" })
  enabled?: boolean | null;
}

@ObjectType({ description: "One try at posting a delivery" })
export class WebhookAttempt {
  @Field(() => Int, { nullable: true })
  statusCode!: number | null;

  @Field(() => Int)
  durationMs!: number;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => String, { nullable: true, description: "The first 1 KiB of the answer" })
  responseBody!: string | null;

  @Field(() => String)
  attemptedAt!: string;
}

@ObjectType({ description: "One event for one endpoint" })
export class WebhookDelivery {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The webhook-id header" })
  messageId!: string;

  @Field(() => String)
  eventType!: string;

  @Field(() => String, { description: "pending, delivered or failed" })
  status!: string;

  @Field(() => Int)
  attempts!: number;

  @Field(() => String)
  createdAt!: string;

  @Field(() => [WebhookAttempt])
  attemptLog!: WebhookAttempt[];
}

export const WebhookDeliveryPage = PageOf(WebhookDelivery, "WebhookDeliveryPage");

export const WebhookDeliverySortField = sortFieldEnum(deliveryList, "WebhookDeliverySortField");

@ArgsType()
export class WebhookDeliveriesArgs extends PageArgsOf(WebhookDeliverySortField) {
  @Field(() => ID)
  endpointId!: string;
}
