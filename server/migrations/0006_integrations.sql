CREATE TABLE "category_attributes" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"category_id" uuid NOT NULL,
	"code" text NOT NULL,
	"datatype" text NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"variable" boolean DEFAULT true NOT NULL,
	"description" jsonb NOT NULL,
	"values" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "category_attributes_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "category_attributes_code_uq" UNIQUE("municipality_id","category_id","code")
);
--> statement-breakpoint
CREATE TABLE "import_row_errors" (
	"municipality_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"column" text,
	"code" text NOT NULL,
	"message" text NOT NULL,
	CONSTRAINT "import_row_errors_municipality_id_run_id_row_number_code_pk" PRIMARY KEY("municipality_id","run_id","row_number","code")
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"source_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"dry_run" boolean NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"rows_total" integer DEFAULT 0 NOT NULL,
	"rows_imported" integer DEFAULT 0 NOT NULL,
	"rows_existing" integer DEFAULT 0 NOT NULL,
	"rows_rejected" integer DEFAULT 0 NOT NULL,
	"failure" text,
	"created_by_id" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "import_runs_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "import_sources" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"channel" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_sources_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "import_sources_code_uq" UNIQUE("municipality_id","code")
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"subscription_id" uuid NOT NULL,
	"event" text NOT NULL,
	"event_key" text NOT NULL,
	"appeal_id" uuid,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "webhook_deliveries_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "webhook_deliveries_event_uq" UNIQUE("municipality_id","subscription_id","event_key")
);
--> statement-breakpoint
CREATE TABLE "webhook_subscriptions" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"api_key_id" uuid NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"events" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "webhook_subscriptions_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
ALTER TABLE "appeals" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "appeals" ADD COLUMN "attributes" jsonb;--> statement-breakpoint
ALTER TABLE "category_attributes" ADD CONSTRAINT "category_attributes_municipality_id_category_id_categories_municipality_id_id_fk" FOREIGN KEY ("municipality_id","category_id") REFERENCES "public"."categories"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_row_errors" ADD CONSTRAINT "import_row_errors_municipality_id_run_id_import_runs_municipality_id_id_fk" FOREIGN KEY ("municipality_id","run_id") REFERENCES "public"."import_runs"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_municipality_id_source_id_import_sources_municipality_id_id_fk" FOREIGN KEY ("municipality_id","source_id") REFERENCES "public"."import_sources"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_municipality_id_subscription_id_webhook_subscriptions_municipality_id_id_fk" FOREIGN KEY ("municipality_id","subscription_id") REFERENCES "public"."webhook_subscriptions"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_runs_source_idx" ON "import_runs" USING btree ("municipality_id","source_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_subscription_idx" ON "webhook_deliveries" USING btree ("municipality_id","subscription_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_subscriptions_key_idx" ON "webhook_subscriptions" USING btree ("municipality_id","api_key_id");--> statement-breakpoint
CREATE UNIQUE INDEX "appeals_external_uq" ON "appeals" USING btree ("municipality_id","source","external_id") WHERE external_id is not null;