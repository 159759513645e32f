CREATE TABLE "answer_ratings" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"appeal_id" uuid NOT NULL,
	"answer_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"service_id" uuid,
	"executor_id" uuid,
	"overall" integer NOT NULL,
	"solved" text NOT NULL,
	"clarity" integer NOT NULL,
	"accuracy" integer NOT NULL,
	"on_time_felt" boolean NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"follow_up_due_at" timestamp with time zone,
	"follow_up_asked_at" timestamp with time zone,
	"still_solved" boolean,
	"follow_up_answered_at" timestamp with time zone,
	CONSTRAINT "answer_ratings_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "answer_ratings_answer_uq" UNIQUE("municipality_id","answer_id")
);
--> statement-breakpoint
CREATE TABLE "extension_requests" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"appeal_id" uuid NOT NULL,
	"requested_by_id" uuid NOT NULL,
	"days" integer NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by_id" uuid,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "extension_requests_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"municipality_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "jobs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"dedupe_key" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 8 NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "jobs_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "notification_preferences" (
	"principal_kind" text NOT NULL,
	"principal_id" uuid NOT NULL,
	"email" boolean DEFAULT true NOT NULL,
	"sms" boolean DEFAULT true NOT NULL,
	"in_app" boolean DEFAULT true NOT NULL,
	"muted_events" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_preferences_principal_kind_principal_id_pk" PRIMARY KEY("principal_kind","principal_id")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"recipient_kind" text NOT NULL,
	"recipient_id" uuid,
	"appeal_id" uuid,
	"event" text NOT NULL,
	"channel" text NOT NULL,
	"address" text,
	"locale" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"link" text,
	"dedupe_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"read_at" timestamp with time zone,
	CONSTRAINT "notifications_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "notifications_dedupe_uq" UNIQUE("municipality_id","dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "review_requests" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"appeal_id" uuid NOT NULL,
	"answer_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"service_id" uuid,
	"reason" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by_id" uuid,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_requests_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "review_requests_answer_uq" UNIQUE("municipality_id","answer_id")
);
--> statement-breakpoint
CREATE TABLE "scorecard_months" (
	"municipality_id" uuid NOT NULL,
	"month" date NOT NULL,
	"service_id" uuid,
	"executor_id" uuid,
	"received" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"answered_on_time" integer DEFAULT 0 NOT NULL,
	"answer_days_histogram" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"ratings" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	"solved_yes" integer DEFAULT 0 NOT NULL,
	"solved_partly" integer DEFAULT 0 NOT NULL,
	"solved_no" integer DEFAULT 0 NOT NULL,
	"review_requests" integer DEFAULT 0 NOT NULL,
	"reopenings" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "scorecard_months_uq" UNIQUE NULLS NOT DISTINCT("municipality_id","month","service_id","executor_id")
);
--> statement-breakpoint
ALTER TABLE "appeal_answers" ADD COLUMN "due_date" date;--> statement-breakpoint
ALTER TABLE "appeal_answers" ADD COLUMN "working_days" integer;--> statement-breakpoint
ALTER TABLE "appeal_answers" ADD COLUMN "on_time" boolean;--> statement-breakpoint
ALTER TABLE "appeals" ADD COLUMN "escalated_for_due_date" date;--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "requires_result_photo" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "dev_outbox" ADD COLUMN "message_key" text;--> statement-breakpoint
ALTER TABLE "answer_ratings" ADD CONSTRAINT "answer_ratings_municipality_id_appeal_id_appeals_municipality_id_id_fk" FOREIGN KEY ("municipality_id","appeal_id") REFERENCES "public"."appeals"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_ratings" ADD CONSTRAINT "answer_ratings_municipality_id_answer_id_appeal_answers_municipality_id_id_fk" FOREIGN KEY ("municipality_id","answer_id") REFERENCES "public"."appeal_answers"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "extension_requests" ADD CONSTRAINT "extension_requests_municipality_id_appeal_id_appeals_municipality_id_id_fk" FOREIGN KEY ("municipality_id","appeal_id") REFERENCES "public"."appeals"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_requests" ADD CONSTRAINT "review_requests_municipality_id_appeal_id_appeals_municipality_id_id_fk" FOREIGN KEY ("municipality_id","appeal_id") REFERENCES "public"."appeals"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "answer_ratings_appeal_idx" ON "answer_ratings" USING btree ("municipality_id","appeal_id");--> statement-breakpoint
CREATE INDEX "answer_ratings_created_idx" ON "answer_ratings" USING btree ("municipality_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "extension_requests_pending_uq" ON "extension_requests" USING btree ("municipality_id","appeal_id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "extension_requests_status_idx" ON "extension_requests" USING btree ("municipality_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_dedupe_uq" ON "jobs" USING btree ("municipality_id","dedupe_key") WHERE dedupe_key is not null;--> statement-breakpoint
CREATE INDEX "jobs_due_idx" ON "jobs" USING btree ("run_at") WHERE status in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "notifications_recipient_idx" ON "notifications" USING btree ("recipient_kind","recipient_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notifications_appeal_idx" ON "notifications" USING btree ("municipality_id","appeal_id");--> statement-breakpoint
CREATE INDEX "review_requests_status_idx" ON "review_requests" USING btree ("municipality_id","status","created_at");--> statement-breakpoint
CREATE INDEX "appeal_answers_created_idx" ON "appeal_answers" USING btree ("municipality_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("municipality_id","action","occurred_at");--> statement-breakpoint
ALTER TABLE "dev_outbox" ADD CONSTRAINT "dev_outbox_message_key_unique" UNIQUE("message_key");