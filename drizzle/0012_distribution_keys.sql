-- Keys a database distributed by organization_id (Citus) can keep: every tenant table's primary
-- and unique keys lead with organization_id, and keys between tenant tables carry it. Foreign keys
-- go first and come back last, since they depend on the keys they reference.
-- Every tenant row needs its organization: mail of no organization gets the empty one.
UPDATE "mail_outbox" SET "organization_id" = '' WHERE "organization_id" IS NULL;
--> statement-breakpoint
ALTER TABLE "mail_outbox" ALTER COLUMN "organization_id" SET DEFAULT '';
--> statement-breakpoint
ALTER TABLE "mail_outbox" ALTER COLUMN "organization_id" SET NOT NULL;
--> statement-breakpoint
-- Invitations from before they named an organization go to the user's first membership; one
-- whose user belongs nowhere could only set a password, which a password reset does as well.
UPDATE "invitations" SET "organization_id" = (
  SELECT "organization_id" FROM "organization_users" m
  WHERE m."user_id" = "invitations"."user_id"
  ORDER BY m."created_at", m."id" LIMIT 1
) WHERE "organization_id" IS NULL;
--> statement-breakpoint
DELETE FROM "invitations" WHERE "organization_id" IS NULL;
--> statement-breakpoint
ALTER TABLE "invitations" ALTER COLUMN "organization_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD COLUMN "organization_id" text;
--> statement-breakpoint
UPDATE "webhook_attempts" SET "organization_id" = d."organization_id"
FROM "webhook_deliveries" d WHERE d."id" = "webhook_attempts"."delivery_id";
--> statement-breakpoint
ALTER TABLE "webhook_attempts" ALTER COLUMN "organization_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "customer_addresses" DROP CONSTRAINT "customer_addresses_customer_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "user_customers" DROP CONSTRAINT "user_customers_customer_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "customers" DROP CONSTRAINT "customers_price_tier_id_price_tiers_id_fk";
--> statement-breakpoint
ALTER TABLE "customers" DROP CONSTRAINT "customers_parent_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "sales_rep_customers" DROP CONSTRAINT "sales_rep_customers_organization_sales_rep_id_organization_sales_reps_id_fk";
--> statement-breakpoint
ALTER TABLE "sales_rep_customers" DROP CONSTRAINT "sales_rep_customers_customer_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "webhook_attempts" DROP CONSTRAINT "webhook_attempts_delivery_id_webhook_deliveries_id_fk";
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "webhook_deliveries_endpoint_id_webhook_endpoints_id_fk";
--> statement-breakpoint
ALTER TABLE "customer_addresses" DROP CONSTRAINT "customer_addresses_customer_number_key";
--> statement-breakpoint
ALTER TABLE "invitations" DROP CONSTRAINT "invitations_token_hash_key";
--> statement-breakpoint
ALTER TABLE "leave_links" DROP CONSTRAINT "leave_links_token_hash_key";
--> statement-breakpoint
DROP INDEX "api_clients_organization_idx";
--> statement-breakpoint
DROP INDEX "customer_addresses_org_idx";
--> statement-breakpoint
DROP INDEX "organization_subscriptions_org_idx";
--> statement-breakpoint
DROP INDEX "webhook_endpoints_org_idx";
--> statement-breakpoint
DROP INDEX "user_customers_customer_idx";
--> statement-breakpoint
DROP INDEX "customers_price_tier_idx";
--> statement-breakpoint
DROP INDEX "sales_rep_customers_customer_idx";
--> statement-breakpoint
DROP INDEX "webhook_attempts_delivery_idx";
--> statement-breakpoint
DROP INDEX "webhook_deliveries_endpoint_idx";
--> statement-breakpoint
ALTER TABLE "api_clients" DROP CONSTRAINT "api_clients_pkey";
--> statement-breakpoint
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_pkey";
--> statement-breakpoint
ALTER TABLE "customer_addresses" DROP CONSTRAINT "customer_addresses_pkey";
--> statement-breakpoint
ALTER TABLE "user_customers" DROP CONSTRAINT "user_customers_pkey";
--> statement-breakpoint
ALTER TABLE "customers" DROP CONSTRAINT "customers_pkey";
--> statement-breakpoint
ALTER TABLE "idempotency_keys" DROP CONSTRAINT "idempotency_keys_pkey";
--> statement-breakpoint
ALTER TABLE "invitations" DROP CONSTRAINT "invitations_pkey";
--> statement-breakpoint
ALTER TABLE "leave_links" DROP CONSTRAINT "leave_links_pkey";
--> statement-breakpoint
ALTER TABLE "organization_entitlements" DROP CONSTRAINT "organization_entitlements_pkey";
--> statement-breakpoint
ALTER TABLE "organization_subscriptions" DROP CONSTRAINT "organization_subscriptions_pkey";
--> statement-breakpoint
ALTER TABLE "organization_users" DROP CONSTRAINT "organization_users_pkey";
--> statement-breakpoint
ALTER TABLE "price_tiers" DROP CONSTRAINT "price_tiers_pkey";
--> statement-breakpoint
ALTER TABLE "custom_roles" DROP CONSTRAINT "custom_roles_pkey";
--> statement-breakpoint
ALTER TABLE "organization_sales_reps" DROP CONSTRAINT "organization_sales_reps_pkey";
--> statement-breakpoint
ALTER TABLE "sales_rep_customers" DROP CONSTRAINT "sales_rep_customers_organization_sales_rep_id_customer_id_pk";
--> statement-breakpoint
ALTER TABLE "sales_rep_roles" DROP CONSTRAINT "sales_rep_roles_pkey";
--> statement-breakpoint
ALTER TABLE "webhook_attempts" DROP CONSTRAINT "webhook_attempts_pkey";
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "webhook_deliveries_pkey";
--> statement-breakpoint
ALTER TABLE "webhook_endpoints" DROP CONSTRAINT "webhook_endpoints_pkey";
--> statement-breakpoint
ALTER TABLE "mail_outbox" DROP CONSTRAINT "mail_outbox_pkey";
--> statement-breakpoint
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "customer_addresses" ADD CONSTRAINT "customer_addresses_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "user_customers" ADD CONSTRAINT "user_customers_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "leave_links" ADD CONSTRAINT "leave_links_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "organization_entitlements" ADD CONSTRAINT "organization_entitlements_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "organization_subscriptions" ADD CONSTRAINT "organization_subscriptions_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "organization_users" ADD CONSTRAINT "organization_users_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "price_tiers" ADD CONSTRAINT "price_tiers_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "custom_roles" ADD CONSTRAINT "custom_roles_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "organization_sales_reps" ADD CONSTRAINT "organization_sales_reps_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "sales_rep_customers" ADD CONSTRAINT "sales_rep_customers_pkey" PRIMARY KEY("organization_id","organization_sales_rep_id","customer_id");
--> statement-breakpoint
ALTER TABLE "sales_rep_roles" ADD CONSTRAINT "sales_rep_roles_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_pkey" PRIMARY KEY("organization_id","id");
--> statement-breakpoint
ALTER TABLE "customer_addresses" ADD CONSTRAINT "customer_addresses_customer_number_key" UNIQUE("organization_id","customer_id","address_number");
--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_token_hash_key" UNIQUE("organization_id","token_hash");
--> statement-breakpoint
ALTER TABLE "leave_links" ADD CONSTRAINT "leave_links_token_hash_key" UNIQUE("organization_id","token_hash");
--> statement-breakpoint
ALTER TABLE "customer_addresses" ADD CONSTRAINT "customer_addresses_customer_fk" FOREIGN KEY ("organization_id","customer_id") REFERENCES "public"."customers"("organization_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "user_customers" ADD CONSTRAINT "user_customers_customer_fk" FOREIGN KEY ("organization_id","customer_id") REFERENCES "public"."customers"("organization_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_price_tier_fk" FOREIGN KEY ("organization_id","price_tier_id") REFERENCES "public"."price_tiers"("organization_id","id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_parent_fk" FOREIGN KEY ("organization_id","parent_id") REFERENCES "public"."customers"("organization_id","id") ON DELETE SET NULL ("parent_id") ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "sales_rep_customers" ADD CONSTRAINT "sales_rep_customers_assignment_fk" FOREIGN KEY ("organization_id","organization_sales_rep_id") REFERENCES "public"."organization_sales_reps"("organization_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "sales_rep_customers" ADD CONSTRAINT "sales_rep_customers_customer_fk" FOREIGN KEY ("organization_id","customer_id") REFERENCES "public"."customers"("organization_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_fk" FOREIGN KEY ("organization_id","delivery_id") REFERENCES "public"."webhook_deliveries"("organization_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_fk" FOREIGN KEY ("organization_id","endpoint_id") REFERENCES "public"."webhook_endpoints"("organization_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "api_clients_id_idx" ON "api_clients" USING btree ("id");--> statement-breakpoint
CREATE INDEX "invitations_token_hash_idx" ON "invitations" USING btree ("token_hash");
--> statement-breakpoint
CREATE INDEX "leave_links_token_hash_idx" ON "leave_links" USING btree ("token_hash");
--> statement-breakpoint
CREATE INDEX "webhook_deliveries_id_idx" ON "webhook_deliveries" USING btree ("id");
--> statement-breakpoint
CREATE INDEX "mail_outbox_id_idx" ON "mail_outbox" USING btree ("id");
--> statement-breakpoint
CREATE INDEX "user_customers_customer_idx" ON "user_customers" USING btree ("organization_id","customer_id");
--> statement-breakpoint
CREATE INDEX "customers_price_tier_idx" ON "customers" USING btree ("organization_id","price_tier_id");
--> statement-breakpoint
CREATE INDEX "sales_rep_customers_customer_idx" ON "sales_rep_customers" USING btree ("organization_id","customer_id");
--> statement-breakpoint
CREATE INDEX "webhook_attempts_delivery_idx" ON "webhook_attempts" USING btree ("organization_id","delivery_id");
--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" USING btree ("organization_id","endpoint_id","created_at");
