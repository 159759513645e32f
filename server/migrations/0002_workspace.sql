CREATE TABLE "answer_templates" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid,
	"category_id" uuid,
	"title" jsonb NOT NULL,
	"body" jsonb NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "answer_templates_municipality_id_id_pk" PRIMARY KEY("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "saved_filters" (
	"municipality_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"name" text NOT NULL,
	"query" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_filters_municipality_id_id_pk" PRIMARY KEY("municipality_id","id"),
	CONSTRAINT "saved_filters_name_uq" UNIQUE("municipality_id","staff_id","name")
);
--> statement-breakpoint
ALTER TABLE "answer_templates" ADD CONSTRAINT "answer_templates_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_templates" ADD CONSTRAINT "answer_templates_municipality_id_service_id_services_municipality_id_id_fk" FOREIGN KEY ("municipality_id","service_id") REFERENCES "public"."services"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_templates" ADD CONSTRAINT "answer_templates_municipality_id_category_id_categories_municipality_id_id_fk" FOREIGN KEY ("municipality_id","category_id") REFERENCES "public"."categories"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_filters" ADD CONSTRAINT "saved_filters_municipality_id_staff_id_staff_users_municipality_id_id_fk" FOREIGN KEY ("municipality_id","staff_id") REFERENCES "public"."staff_users"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "answer_templates_scope_idx" ON "answer_templates" USING btree ("municipality_id","service_id","category_id");