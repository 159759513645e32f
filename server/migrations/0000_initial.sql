CREATE TABLE "api_keys" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "api_keys_prefix_uq" UNIQUE("municipality_id","prefix")
);
--> statement-breakpoint
CREATE TABLE "appeal_answers" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"appeal_id" uuid NOT NULL,
	"body" text NOT NULL,
	"language" text NOT NULL,
	"author_id" uuid NOT NULL,
	"service_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appeal_answers_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "appeal_applicants" (
	"municipality_id" uuid NOT NULL,
	"appeal_id" uuid NOT NULL,
	"full_name" text NOT NULL,
	"email" text,
	"phone" text,
	"address" text,
	"cosigners" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"organization" text,
	CONSTRAINT "appeal_applicants_municipality_id_appeal_id_pk" PRIMARY KEY("municipality_id","appeal_id")
);
--> statement-breakpoint
CREATE TABLE "appeal_demographics" (
	"municipality_id" uuid NOT NULL,
	"appeal_id" uuid NOT NULL,
	"age_band" text,
	"gender" text,
	"social_group" text,
	"consented_at" timestamp with time zone NOT NULL,
	CONSTRAINT "appeal_demographics_municipality_id_appeal_id_pk" PRIMARY KEY("municipality_id","appeal_id")
);
--> statement-breakpoint
CREATE TABLE "appeal_notes" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"appeal_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appeal_notes_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "appeals" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"registration_number" text NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"status" text NOT NULL,
	"is_collective" boolean DEFAULT false NOT NULL,
	"cosigners_count" integer DEFAULT 0 NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"language" text NOT NULL,
	"category_id" uuid,
	"district_id" uuid,
	"service_id" uuid,
	"executor_id" uuid,
	"lat" double precision,
	"lon" double precision,
	"address" text,
	"received_at" timestamp with time zone NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	"registration_due_date" date NOT NULL,
	"due_date" date NOT NULL,
	"original_due_date" date NOT NULL,
	"deadline_rule_id" uuid,
	"extension_days" integer DEFAULT 0 NOT NULL,
	"answered_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"citizen_id" uuid,
	"submitted_by_kind" text NOT NULL,
	"submitted_by_id" uuid,
	"idempotency_key" text,
	"duplicate_of_id" uuid,
	"repeat_of_id" uuid,
	"redirected_to" text,
	"no_consideration_ground" text,
	"source" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appeals_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "appeals_registration_number_uq" UNIQUE("municipality_id","registration_number")
);
--> statement-breakpoint
CREATE TABLE "attachments" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"appeal_id" uuid NOT NULL,
	"answer_id" uuid,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by_kind" text NOT NULL,
	"uploaded_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attachments_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"municipality_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" uuid,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"action" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	"is_public" boolean DEFAULT false NOT NULL,
	CONSTRAINT "audit_log_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "calendar_days" (
	"municipality_id" uuid NOT NULL,
	"date" date NOT NULL,
	"is_working" boolean NOT NULL,
	"name" jsonb,
	CONSTRAINT "calendar_days_municipality_id_date_pk" PRIMARY KEY("municipality_id","date")
);
--> statement-breakpoint
CREATE TABLE "categories" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"parent_id" uuid,
	"code" text NOT NULL,
	"name" jsonb NOT NULL,
	"keywords" text[] DEFAULT '{}'::text[] NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "categories_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "categories_code_uq" UNIQUE("municipality_id","code")
);
--> statement-breakpoint
CREATE TABLE "citizens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text,
	"phone" text,
	"full_name" text,
	"locale" text DEFAULT 'ky' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "citizens_email_unique" UNIQUE("email"),
	CONSTRAINT "citizens_phone_unique" UNIQUE("phone")
);
--> statement-breakpoint
CREATE TABLE "deadline_rules" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kind" text,
	"effective_from" date NOT NULL,
	"register_within_days" integer NOT NULL,
	"answer_within_days" integer NOT NULL,
	"max_extension_days" integer NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deadline_rules_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "deadline_rules_uq" UNIQUE NULLS NOT DISTINCT("municipality_id","kind","effective_from")
);
--> statement-breakpoint
CREATE TABLE "dev_outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "dev_outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "districts" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" jsonb NOT NULL,
	"kind" text DEFAULT 'district' NOT NULL,
	"population" integer,
	"boundary" jsonb,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "districts_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "districts_code_uq" UNIQUE("municipality_id","code")
);
--> statement-breakpoint
CREATE TABLE "municipalities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"code" text NOT NULL,
	"name" jsonb NOT NULL,
	"timezone" text DEFAULT 'Asia/Bishkek' NOT NULL,
	"default_locale" text DEFAULT 'ky' NOT NULL,
	"center_lat" double precision,
	"center_lon" double precision,
	"population" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "municipalities_slug_unique" UNIQUE("slug"),
	CONSTRAINT "municipalities_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "otp_challenges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"destination_hash" text NOT NULL,
	"code_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "registration_counters" (
	"municipality_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last_number" integer NOT NULL,
	CONSTRAINT "registration_counters_municipality_id_year_pk" PRIMARY KEY("municipality_id","year")
);
--> statement-breakpoint
CREATE TABLE "routing_rules" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"category_id" uuid NOT NULL,
	"district_id" uuid,
	"service_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "routing_rules_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "routing_rules_uq" UNIQUE NULLS NOT DISTINCT("municipality_id","category_id","district_id")
);
--> statement-breakpoint
CREATE TABLE "services" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" jsonb NOT NULL,
	"kind" text NOT NULL,
	"email" text,
	"phone" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "services_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "services_code_uq" UNIQUE("municipality_id","code")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"principal_kind" text NOT NULL,
	"principal_id" uuid NOT NULL,
	"municipality_id" uuid,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_users" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"full_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"roles" text[] NOT NULL,
	"service_id" uuid,
	"locale" text DEFAULT 'ru' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_users_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "staff_users_email_uq" UNIQUE("municipality_id","email")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_answers" ADD CONSTRAINT "appeal_answers_municipality_id_appeal_id_appeals_municipality_id_id_fk" FOREIGN KEY ("municipality_id","appeal_id") REFERENCES "public"."appeals"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_applicants" ADD CONSTRAINT "appeal_applicants_municipality_id_appeal_id_appeals_municipality_id_id_fk" FOREIGN KEY ("municipality_id","appeal_id") REFERENCES "public"."appeals"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_demographics" ADD CONSTRAINT "appeal_demographics_municipality_id_appeal_id_appeals_municipality_id_id_fk" FOREIGN KEY ("municipality_id","appeal_id") REFERENCES "public"."appeals"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_notes" ADD CONSTRAINT "appeal_notes_municipality_id_appeal_id_appeals_municipality_id_id_fk" FOREIGN KEY ("municipality_id","appeal_id") REFERENCES "public"."appeals"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_municipality_id_category_id_categories_municipality_id_id_fk" FOREIGN KEY ("municipality_id","category_id") REFERENCES "public"."categories"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_municipality_id_district_id_districts_municipality_id_id_fk" FOREIGN KEY ("municipality_id","district_id") REFERENCES "public"."districts"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_municipality_id_service_id_services_municipality_id_id_fk" FOREIGN KEY ("municipality_id","service_id") REFERENCES "public"."services"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_municipality_id_executor_id_staff_users_municipality_id_id_fk" FOREIGN KEY ("municipality_id","executor_id") REFERENCES "public"."staff_users"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_municipality_id_duplicate_of_id_appeals_municipality_id_id_fk" FOREIGN KEY ("municipality_id","duplicate_of_id") REFERENCES "public"."appeals"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_municipality_id_repeat_of_id_appeals_municipality_id_id_fk" FOREIGN KEY ("municipality_id","repeat_of_id") REFERENCES "public"."appeals"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_citizen_id_citizens_id_fk" FOREIGN KEY ("citizen_id") REFERENCES "public"."citizens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_municipality_id_appeal_id_appeals_municipality_id_id_fk" FOREIGN KEY ("municipality_id","appeal_id") REFERENCES "public"."appeals"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_days" ADD CONSTRAINT "calendar_days_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_municipality_id_parent_id_categories_municipality_id_id_fk" FOREIGN KEY ("municipality_id","parent_id") REFERENCES "public"."categories"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deadline_rules" ADD CONSTRAINT "deadline_rules_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "districts" ADD CONSTRAINT "districts_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_municipality_id_category_id_categories_municipality_id_id_fk" FOREIGN KEY ("municipality_id","category_id") REFERENCES "public"."categories"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_municipality_id_district_id_districts_municipality_id_id_fk" FOREIGN KEY ("municipality_id","district_id") REFERENCES "public"."districts"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_municipality_id_service_id_services_municipality_id_id_fk" FOREIGN KEY ("municipality_id","service_id") REFERENCES "public"."services"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_municipality_id_service_id_services_municipality_id_id_fk" FOREIGN KEY ("municipality_id","service_id") REFERENCES "public"."services"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appeal_answers_appeal_idx" ON "appeal_answers" USING btree ("municipality_id","appeal_id");--> statement-breakpoint
CREATE INDEX "appeal_applicants_phone_idx" ON "appeal_applicants" USING btree ("municipality_id","phone");--> statement-breakpoint
CREATE INDEX "appeal_applicants_email_idx" ON "appeal_applicants" USING btree ("municipality_id","email");--> statement-breakpoint
CREATE INDEX "appeal_notes_appeal_idx" ON "appeal_notes" USING btree ("municipality_id","appeal_id");--> statement-breakpoint
CREATE UNIQUE INDEX "appeals_idempotency_uq" ON "appeals" USING btree ("municipality_id","submitted_by_kind","submitted_by_id","idempotency_key") WHERE idempotency_key is not null;--> statement-breakpoint
CREATE INDEX "appeals_registered_idx" ON "appeals" USING btree ("municipality_id","registered_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "appeals_status_idx" ON "appeals" USING btree ("municipality_id","status","due_date");--> statement-breakpoint
CREATE INDEX "appeals_service_idx" ON "appeals" USING btree ("municipality_id","service_id","status");--> statement-breakpoint
CREATE INDEX "appeals_executor_idx" ON "appeals" USING btree ("municipality_id","executor_id","status");--> statement-breakpoint
CREATE INDEX "appeals_citizen_idx" ON "appeals" USING btree ("municipality_id","citizen_id","registered_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "attachments_appeal_idx" ON "attachments" USING btree ("municipality_id","appeal_id");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("municipality_id","entity_type","entity_id","id");--> statement-breakpoint
CREATE INDEX "dev_outbox_recipient_idx" ON "dev_outbox" USING btree ("recipient","id");--> statement-breakpoint
CREATE INDEX "otp_destination_idx" ON "otp_challenges" USING btree ("destination_hash","created_at");--> statement-breakpoint
CREATE INDEX "sessions_principal_idx" ON "sessions" USING btree ("principal_kind","principal_id");