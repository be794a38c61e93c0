-- CreateEnum
CREATE TYPE "connection_status" AS ENUM ('ok', 'syncing', 'needs_reconnect', 'rate_limited');

-- CreateEnum
CREATE TYPE "completion_via" AS ENUM ('webhook', 'reconcile', 'oo');

-- CreateTable
CREATE TABLE "connection" (
    "user_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_user_id" TEXT NOT NULL,
    "status" "connection_status" NOT NULL DEFAULT 'ok',
    "scope" TEXT NOT NULL,
    "connected_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_sync_at" TIMESTAMPTZ(6),
    "access_token_ciphertext" BYTEA NOT NULL,
    "access_token_iv" BYTEA NOT NULL,
    "access_token_key_id" TEXT NOT NULL,
    "access_token_expires_at" TIMESTAMPTZ(6),
    "refresh_token_ciphertext" BYTEA,
    "refresh_token_iv" BYTEA,
    "refresh_token_key_id" TEXT,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "connection_pkey" PRIMARY KEY ("user_id","provider")
);

-- CreateTable
CREATE TABLE "task_snapshot" (
    "user_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "tasks" JSONB NOT NULL,
    "digest" TEXT NOT NULL,
    "synced_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "task_snapshot_pkey" PRIMARY KEY ("user_id","provider")
);

-- CreateTable
CREATE TABLE "webhook_delivery" (
    "delivery_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("delivery_id")
);

-- CreateTable
CREATE TABLE "task_completion" (
    "user_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "task_id" TEXT NOT NULL,
    "completion_key" TEXT NOT NULL,
    "via" "completion_via" NOT NULL,
    "completed_at" TIMESTAMPTZ(6) NOT NULL,
    "recorded_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(6),

    CONSTRAINT "task_completion_pkey" PRIMARY KEY ("user_id","provider","task_id","completion_key")
);

-- CreateIndex
CREATE UNIQUE INDEX "connection_provider_provider_user_id_key" ON "connection"("provider", "provider_user_id");

-- CreateIndex
CREATE INDEX "webhook_delivery_received_at_idx" ON "webhook_delivery"("received_at");
