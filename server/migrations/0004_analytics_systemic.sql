CREATE TABLE "analytics_cell_months" (
	"municipality_id" uuid NOT NULL,
	"month" date NOT NULL,
	"category_id" uuid,
	"district_id" uuid,
	"cell" text NOT NULL,
	"appeals" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_cell_months_uq" UNIQUE NULLS NOT DISTINCT("municipality_id","month","category_id","district_id","cell")
);
--> statement-breakpoint
CREATE TABLE "analytics_group_months" (
	"municipality_id" uuid NOT NULL,
	"month" date NOT NULL,
	"category_id" uuid,
	"district_id" uuid,
	"channel" text NOT NULL,
	"kind" text NOT NULL,
	"age_band" text,
	"gender" text,
	"social_group" text,
	"appeals" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"answered_on_time" integer DEFAULT 0 NOT NULL,
	"ratings" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	"solved_yes" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_group_months_uq" UNIQUE NULLS NOT DISTINCT("municipality_id","month","category_id","district_id","channel","kind","age_band","gender","social_group")
);
--> statement-breakpoint
CREATE TABLE "analytics_months" (
	"municipality_id" uuid NOT NULL,
	"month" date NOT NULL,
	"category_id" uuid,
	"district_id" uuid,
	"service_id" uuid,
	"channel" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"appeals" integer DEFAULT 0 NOT NULL,
	"collective" integer DEFAULT 0 NOT NULL,
	"repeats" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"answered_on_time" integer DEFAULT 0 NOT NULL,
	"answer_days_sum" bigint DEFAULT 0 NOT NULL,
	"ratings" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	"solved_yes" integer DEFAULT 0 NOT NULL,
	"solved_partly" integer DEFAULT 0 NOT NULL,
	"solved_no" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_months_uq" UNIQUE NULLS NOT DISTINCT("municipality_id","month","category_id","district_id","service_id","channel","kind","status")
);
--> statement-breakpoint
CREATE TABLE "analytics_refresh_state" (
	"municipality_id" uuid PRIMARY KEY NOT NULL,
	"changes_since" timestamp with time zone NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL,
	"full_rebuild_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "systemic_problem_members" (
	"municipality_id" uuid NOT NULL,
	"problem_id" uuid NOT NULL,
	"appeal_id" uuid NOT NULL,
	CONSTRAINT "systemic_problem_members_municipality_id_problem_id_appeal_id_pk" PRIMARY KEY("municipality_id","problem_id","appeal_id")
);
--> statement-breakpoint
CREATE TABLE "systemic_problem_notes" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"problem_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "systemic_problem_notes_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "systemic_problems" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"detector_key" text NOT NULL,
	"kinds" text[] NOT NULL,
	"category_id" uuid,
	"district_id" uuid,
	"cells" text[] NOT NULL,
	"appeals" integer NOT NULL,
	"distinct_applicants" integer NOT NULL,
	"weeks_active" integer NOT NULL,
	"repeats" integer DEFAULT 0 NOT NULL,
	"seasonal_years" integer DEFAULT 0 NOT NULL,
	"score" double precision NOT NULL,
	"trend" text NOT NULL,
	"monthly" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"merged_into_id" uuid,
	"status_reason" text,
	"decided_by_id" uuid,
	"decided_at" timestamp with time zone,
	"detected_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "systemic_problems_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "systemic_problems_key_uq" UNIQUE("municipality_id","detector_key")
);
--> statement-breakpoint
ALTER TABLE "systemic_problem_members" ADD CONSTRAINT "systemic_problem_members_municipality_id_problem_id_systemic_problems_municipality_id_id_fk" FOREIGN KEY ("municipality_id","problem_id") REFERENCES "public"."systemic_problems"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "systemic_problem_notes" ADD CONSTRAINT "systemic_problem_notes_municipality_id_problem_id_systemic_problems_municipality_id_id_fk" FOREIGN KEY ("municipality_id","problem_id") REFERENCES "public"."systemic_problems"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "systemic_problem_members_appeal_idx" ON "systemic_problem_members" USING btree ("municipality_id","appeal_id");--> statement-breakpoint
CREATE INDEX "systemic_problem_notes_problem_idx" ON "systemic_problem_notes" USING btree ("municipality_id","problem_id","created_at");--> statement-breakpoint
CREATE INDEX "systemic_problems_status_idx" ON "systemic_problems" USING btree ("municipality_id","status","score");--> statement-breakpoint
CREATE INDEX "answer_ratings_updated_idx" ON "answer_ratings" USING btree ("municipality_id","updated_at");--> statement-breakpoint
CREATE INDEX "appeals_updated_idx" ON "appeals" USING btree ("municipality_id","updated_at");