-- CreateTable
CREATE TABLE "deletion_request" (
    "user_id" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "requested_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmed_by" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "signals_purged_at" TIMESTAMPTZ(6),
    "completed_at" TIMESTAMPTZ(6),

    CONSTRAINT "deletion_request_pkey" PRIMARY KEY ("user_id")
);
