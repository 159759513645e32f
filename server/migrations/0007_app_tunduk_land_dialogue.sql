CREATE TABLE "app_refresh_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"family_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"access_token_hash" text NOT NULL,
	"device_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "commission_agenda_items" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"plot_id" uuid,
	"added_by" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"decision" text,
	"reasons" text,
	"votes_for" integer,
	"votes_against" integer,
	"votes_abstained" integer,
	"decided_at" timestamp with time zone,
	"decided_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "commission_agenda_items_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "commission_meetings" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"place" text,
	"status" text DEFAULT 'planned' NOT NULL,
	"minutes" text,
	"minutes_published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "commission_meetings_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "hearing_registrations" (
	"municipality_id" uuid NOT NULL,
	"hearing_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attended" boolean DEFAULT false NOT NULL,
	CONSTRAINT "hearing_registrations_municipality_id_hearing_id_citizen_id_pk" PRIMARY KEY("municipality_id","hearing_id","citizen_id")
);
--> statement-breakpoint
CREATE TABLE "land_announcements" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"plot_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" jsonb NOT NULL,
	"description" jsonb NOT NULL,
	"proposed_use" text,
	"lease_until" date,
	"comment_opens_at" timestamp with time zone NOT NULL,
	"comment_closes_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'published' NOT NULL,
	"created_by_id" uuid,
	"published_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "land_announcements_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "land_area_subscriptions" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"citizen_id" uuid NOT NULL,
	"district_id" uuid,
	"center_lat" double precision,
	"center_lon" double precision,
	"radius_m" integer,
	"label" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "land_area_subscriptions_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "land_comment_reports" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"comment_id" uuid NOT NULL,
	"reporter_citizen_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolution" text,
	"resolved_at" timestamp with time zone,
	"resolved_by_id" uuid,
	CONSTRAINT "land_comment_reports_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "land_comment_reports_once_uq" UNIQUE("municipality_id","comment_id","reporter_citizen_id")
);
--> statement-breakpoint
CREATE TABLE "land_comments" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"parent_id" uuid,
	"author_kind" text NOT NULL,
	"author_id" uuid NOT NULL,
	"author_name" text NOT NULL,
	"body" text NOT NULL,
	"official" boolean DEFAULT false NOT NULL,
	"hidden_at" timestamp with time zone,
	"hidden_reason" text,
	"hidden_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "land_comments_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "land_files" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"owner_type" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"title" text,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by_kind" text NOT NULL,
	"uploaded_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "land_files_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "land_plot_events" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"plot_id" uuid NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "land_plot_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ref_type" text,
	"ref_id" uuid,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "land_plot_events_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "land_plots" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"cadastral_number" text NOT NULL,
	"address" text,
	"district_id" uuid,
	"area_m2" double precision,
	"zoning" text,
	"permitted_use" text,
	"current_use" text,
	"status" text DEFAULT 'available' NOT NULL,
	"leased_until" date,
	"geometry" jsonb NOT NULL,
	"center_lat" double precision NOT NULL,
	"center_lon" double precision NOT NULL,
	"min_lat" double precision NOT NULL,
	"min_lon" double precision NOT NULL,
	"max_lat" double precision NOT NULL,
	"max_lon" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "land_plots_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "land_plots_cadastral_uq" UNIQUE("municipality_id","cadastral_number")
);
--> statement-breakpoint
CREATE TABLE "land_proposal_supports" (
	"municipality_id" uuid NOT NULL,
	"proposal_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "land_proposal_supports_municipality_id_proposal_id_citizen_id_pk" PRIMARY KEY("municipality_id","proposal_id","citizen_id")
);
--> statement-breakpoint
CREATE TABLE "land_proposals" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"plot_id" uuid,
	"lat" double precision NOT NULL,
	"lon" double precision NOT NULL,
	"district_id" uuid,
	"use_kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"beneficiaries" text,
	"language" text NOT NULL,
	"author_citizen_id" uuid NOT NULL,
	"author_name" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"support_count" integer DEFAULT 0 NOT NULL,
	"on_agenda_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "land_proposals_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "land_settings" (
	"municipality_id" uuid PRIMARY KEY NOT NULL,
	"support_threshold" integer DEFAULT 100 NOT NULL,
	"comment_period_days" integer DEFAULT 14 NOT NULL,
	"discussion_rules" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "public_hearings" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"plot_id" uuid,
	"announcement_id" uuid,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"place" text NOT NULL,
	"capacity" integer,
	"status" text DEFAULT 'planned' NOT NULL,
	"summary" text,
	"attended_count" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "public_hearings_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "xroad_consumers" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"client_id" text NOT NULL,
	"api_key_id" uuid NOT NULL,
	"may_list_by_personal_number" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "xroad_consumers_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
ALTER TABLE "appeal_applicants" ADD COLUMN "personal_number" text;--> statement-breakpoint
ALTER TABLE "commission_agenda_items" ADD CONSTRAINT "commission_agenda_items_municipality_id_meeting_id_commission_meetings_municipality_id_id_fk" FOREIGN KEY ("municipality_id","meeting_id") REFERENCES "public"."commission_meetings"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hearing_registrations" ADD CONSTRAINT "hearing_registrations_municipality_id_hearing_id_public_hearings_municipality_id_id_fk" FOREIGN KEY ("municipality_id","hearing_id") REFERENCES "public"."public_hearings"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hearing_registrations" ADD CONSTRAINT "hearing_registrations_citizen_id_citizens_id_fk" FOREIGN KEY ("citizen_id") REFERENCES "public"."citizens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "land_announcements" ADD CONSTRAINT "land_announcements_municipality_id_plot_id_land_plots_municipality_id_id_fk" FOREIGN KEY ("municipality_id","plot_id") REFERENCES "public"."land_plots"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "land_area_subscriptions" ADD CONSTRAINT "land_area_subscriptions_citizen_id_citizens_id_fk" FOREIGN KEY ("citizen_id") REFERENCES "public"."citizens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "land_comment_reports" ADD CONSTRAINT "land_comment_reports_municipality_id_comment_id_land_comments_municipality_id_id_fk" FOREIGN KEY ("municipality_id","comment_id") REFERENCES "public"."land_comments"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "land_comments" ADD CONSTRAINT "land_comments_municipality_id_parent_id_land_comments_municipality_id_id_fk" FOREIGN KEY ("municipality_id","parent_id") REFERENCES "public"."land_comments"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "land_plot_events" ADD CONSTRAINT "land_plot_events_municipality_id_plot_id_land_plots_municipality_id_id_fk" FOREIGN KEY ("municipality_id","plot_id") REFERENCES "public"."land_plots"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "land_plots" ADD CONSTRAINT "land_plots_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "land_plots" ADD CONSTRAINT "land_plots_municipality_id_district_id_districts_municipality_id_id_fk" FOREIGN KEY ("municipality_id","district_id") REFERENCES "public"."districts"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "land_proposal_supports" ADD CONSTRAINT "land_proposal_supports_municipality_id_proposal_id_land_proposals_municipality_id_id_fk" FOREIGN KEY ("municipality_id","proposal_id") REFERENCES "public"."land_proposals"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "land_proposal_supports" ADD CONSTRAINT "land_proposal_supports_citizen_id_citizens_id_fk" FOREIGN KEY ("citizen_id") REFERENCES "public"."citizens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "land_proposals" ADD CONSTRAINT "land_proposals_municipality_id_plot_id_land_plots_municipality_id_id_fk" FOREIGN KEY ("municipality_id","plot_id") REFERENCES "public"."land_plots"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "land_proposals" ADD CONSTRAINT "land_proposals_author_citizen_id_citizens_id_fk" FOREIGN KEY ("author_citizen_id") REFERENCES "public"."citizens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "land_settings" ADD CONSTRAINT "land_settings_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "xroad_consumers" ADD CONSTRAINT "xroad_consumers_municipality_id_api_key_id_api_keys_municipality_id_id_fk" FOREIGN KEY ("municipality_id","api_key_id") REFERENCES "public"."api_keys"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "app_refresh_tokens_family_idx" ON "app_refresh_tokens" USING btree ("family_id");--> statement-breakpoint
CREATE INDEX "app_refresh_tokens_citizen_idx" ON "app_refresh_tokens" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX "commission_agenda_meeting_idx" ON "commission_agenda_items" USING btree ("municipality_id","meeting_id","position");--> statement-breakpoint
CREATE INDEX "commission_agenda_subject_idx" ON "commission_agenda_items" USING btree ("municipality_id","subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "commission_meetings_starts_idx" ON "commission_meetings" USING btree ("municipality_id","starts_at");--> statement-breakpoint
CREATE INDEX "land_announcements_plot_idx" ON "land_announcements" USING btree ("municipality_id","plot_id");--> statement-breakpoint
CREATE INDEX "land_announcements_closes_idx" ON "land_announcements" USING btree ("municipality_id","status","comment_closes_at");--> statement-breakpoint
CREATE INDEX "land_area_subscriptions_citizen_idx" ON "land_area_subscriptions" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX "land_area_subscriptions_district_idx" ON "land_area_subscriptions" USING btree ("municipality_id","district_id");--> statement-breakpoint
CREATE INDEX "land_comment_reports_open_idx" ON "land_comment_reports" USING btree ("municipality_id","resolved_at","created_at");--> statement-breakpoint
CREATE INDEX "land_comments_subject_idx" ON "land_comments" USING btree ("municipality_id","subject_type","subject_id","created_at");--> statement-breakpoint
CREATE INDEX "land_files_owner_idx" ON "land_files" USING btree ("municipality_id","owner_type","owner_id");--> statement-breakpoint
CREATE INDEX "land_plot_events_plot_idx" ON "land_plot_events" USING btree ("municipality_id","plot_id","seq");--> statement-breakpoint
CREATE INDEX "land_plots_status_idx" ON "land_plots" USING btree ("municipality_id","status");--> statement-breakpoint
CREATE INDEX "land_plots_district_idx" ON "land_plots" USING btree ("municipality_id","district_id");--> statement-breakpoint
CREATE INDEX "land_proposal_supports_citizen_idx" ON "land_proposal_supports" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX "land_proposals_plot_idx" ON "land_proposals" USING btree ("municipality_id","plot_id");--> statement-breakpoint
CREATE INDEX "land_proposals_status_idx" ON "land_proposals" USING btree ("municipality_id","status","created_at");--> statement-breakpoint
CREATE INDEX "public_hearings_plot_idx" ON "public_hearings" USING btree ("municipality_id","plot_id");--> statement-breakpoint
CREATE UNIQUE INDEX "xroad_consumers_client_uq" ON "xroad_consumers" USING btree ("municipality_id","client_id") WHERE revoked_at is null;--> statement-breakpoint
CREATE INDEX "appeal_applicants_personal_number_idx" ON "appeal_applicants" USING btree ("municipality_id","personal_number");