CREATE TABLE "sales_rep_roles" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"scope" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_rep_roles_org_key_key" UNIQUE("organization_id","key")
);
--> statement-breakpoint
ALTER TABLE "organization_sales_reps" ADD COLUMN "sales_rep_role" text;--> statement-breakpoint
ALTER TABLE "sales_rep_roles" ADD CONSTRAINT "sales_rep_roles_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_sales_reps" ADD CONSTRAINT "organization_sales_reps_role_fk" FOREIGN KEY ("organization_id","sales_rep_role") REFERENCES "public"."sales_rep_roles"("organization_id","key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organization_sales_reps_role_idx" ON "organization_sales_reps" USING btree ("organization_id","sales_rep_role");--> statement-breakpoint
ALTER TABLE "organization_sales_reps" ADD CONSTRAINT "organization_sales_reps_role_only_for_role" CHECK ("organization_sales_reps"."sales_rep_role" is null or "organization_sales_reps"."access_type" = 'role');