-- CreateTable
CREATE TABLE "push_subscription" (
    "endpoint_hash" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "p256dh" TEXT NOT NULL,
    "auth" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_sent_at" TIMESTAMPTZ(6),
    "retry_after" TIMESTAMPTZ(6),
    "vapid_key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "push_subscription_pkey" PRIMARY KEY ("endpoint_hash")
);

-- CreateTable
CREATE TABLE "push_settings" (
    "user_id" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "quiet_start" TEXT NOT NULL,
    "quiet_end" TEXT NOT NULL,
    "push_enabled" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "push_settings_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "push_schedule" (
    "user_id" TEXT NOT NULL,
    "due_at" TIMESTAMPTZ(6) NOT NULL,
    "reason" TEXT NOT NULL,
    "claimed_until" TIMESTAMPTZ(6),

    CONSTRAINT "push_schedule_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "push_delivery" (
    "id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "tip_id" UUID NOT NULL,
    "endpoint_hash" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "status_code" INTEGER,
    "detail" TEXT,
    "at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "push_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "push_subscription_user_id_idx" ON "push_subscription"("user_id");

-- CreateIndex
CREATE INDEX "push_schedule_due_at_idx" ON "push_schedule"("due_at");

-- CreateIndex
CREATE INDEX "push_delivery_user_id_at_idx" ON "push_delivery"("user_id", "at");

-- CreateIndex
CREATE INDEX "push_delivery_tip_id_idx" ON "push_delivery"("tip_id");

-- CreateIndex
CREATE INDEX "push_delivery_at_idx" ON "push_delivery"("at");
