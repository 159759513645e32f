CREATE TABLE "analytics_cell_totals" (
	"municipality_id" uuid NOT NULL,
	"month" date NOT NULL,
	"cell" text NOT NULL,
	"appeals" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_cell_totals_uq" UNIQUE("municipality_id","month","cell")
);
--> statement-breakpoint
CREATE TABLE "analytics_group_months_channel" (
	"municipality_id" uuid NOT NULL,
	"month" date NOT NULL,
	"channel" text NOT NULL,
	"age_band" text,
	"gender" text,
	"social_group" text,
	"appeals" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"answered_on_time" integer DEFAULT 0 NOT NULL,
	"ratings" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	"solved_yes" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_group_months_channel_uq" UNIQUE NULLS NOT DISTINCT("municipality_id","month","channel","age_band","gender","social_group")
);
--> statement-breakpoint
CREATE TABLE "analytics_months_handling" (
	"municipality_id" uuid NOT NULL,
	"month" date NOT NULL,
	"service_id" uuid,
	"channel" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"appeals" integer DEFAULT 0 NOT NULL,
	"collective" integer DEFAULT 0 NOT NULL,
	"repeats" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"answered_on_time" integer DEFAULT 0 NOT NULL,
	"answer_days_sum" integer DEFAULT 0 NOT NULL,
	"ratings" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	"solved_yes" integer DEFAULT 0 NOT NULL,
	"solved_partly" integer DEFAULT 0 NOT NULL,
	"solved_no" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_months_handling_uq" UNIQUE NULLS NOT DISTINCT("municipality_id","month","service_id","channel","kind","status")
);
--> statement-breakpoint
CREATE TABLE "analytics_months_place" (
	"municipality_id" uuid NOT NULL,
	"month" date NOT NULL,
	"category_id" uuid,
	"district_id" uuid,
	"channel" text NOT NULL,
	"appeals" integer DEFAULT 0 NOT NULL,
	"collective" integer DEFAULT 0 NOT NULL,
	"repeats" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"answered_on_time" integer DEFAULT 0 NOT NULL,
	"answer_days_sum" integer DEFAULT 0 NOT NULL,
	"ratings" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	"solved_yes" integer DEFAULT 0 NOT NULL,
	"solved_partly" integer DEFAULT 0 NOT NULL,
	"solved_no" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_months_place_uq" UNIQUE NULLS NOT DISTINCT("municipality_id","month","category_id","district_id","channel")
);
--> statement-breakpoint
ALTER TABLE "analytics_months" ALTER COLUMN "answer_days_sum" SET DATA TYPE integer;