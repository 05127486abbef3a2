ALTER TABLE "signing_keys" DROP COLUMN "slot";--> statement-breakpoint
ALTER TABLE "signing_keys" ADD PRIMARY KEY ("kid");--> statement-breakpoint
ALTER TABLE "signing_keys" ADD COLUMN "activated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "signing_keys" ADD COLUMN "retired_at" timestamp with time zone;
