ALTER TABLE "user_customers" ADD COLUMN "scope" text DEFAULT 'self' NOT NULL;--> statement-breakpoint
ALTER TABLE "organization_sales_reps" ADD COLUMN "include_descendants" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "user_customers" ADD CONSTRAINT "user_customers_scope_known" CHECK ("user_customers"."scope" in ('self', 'self_and_descendants'));