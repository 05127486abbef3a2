CREATE TABLE "customer_addresses" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"address_number" text NOT NULL,
	"type" text NOT NULL,
	"company_name" text,
	"contact_name" text,
	"line1" text NOT NULL,
	"line2" text,
	"line3" text,
	"city" text NOT NULL,
	"region" text,
	"postal_code" text,
	"country" text NOT NULL,
	"phone" text,
	"is_default" boolean DEFAULT false NOT NULL,
	"external_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_addresses_customer_number_key" UNIQUE("customer_id","address_number")
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "parent_id" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "payment_terms_code" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "net_days" integer;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "credit_limit" numeric(18, 2);--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "credit_currency" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "credit_hold" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "available_credit" numeric(18, 2);--> statement-breakpoint
ALTER TABLE "customer_addresses" ADD CONSTRAINT "customer_addresses_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_addresses" ADD CONSTRAINT "customer_addresses_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_addresses_org_idx" ON "customer_addresses" USING btree ("organization_id");--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_parent_id_customers_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customers_org_parent_idx" ON "customers" USING btree ("organization_id","parent_id");