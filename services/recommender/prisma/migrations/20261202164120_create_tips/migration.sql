-- CreateEnum
CREATE TYPE "tip_channel" AS ENUM ('web', 'push');

-- CreateEnum
CREATE TYPE "tip_end_reason" AS ENUM ('done', 'dismiss', 'snooze', 'expired', 'task_gone');

-- CreateEnum
CREATE TYPE "tip_reaction_kind" AS ENUM ('terminal', 'rating');

-- CreateEnum
CREATE TYPE "task_hold_reason" AS ENUM ('snooze', 'dismiss');

-- CreateTable
CREATE TABLE "tip" (
    "id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "channel" "tip_channel" NOT NULL,
    "task_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "due" TEXT,
    "url" TEXT,
    "policy" TEXT NOT NULL,
    "propensity" DOUBLE PRECISION NOT NULL,
    "features" JSONB NOT NULL,
    "shadow" JSONB,
    "seed" BIGINT NOT NULL,
    "candidate_count" INTEGER NOT NULL,
    "latency_ms" DOUBLE PRECISION NOT NULL,
    "served_at" TIMESTAMPTZ(6) NOT NULL,
    "ended_at" TIMESTAMPTZ(6),
    "end_reason" "tip_end_reason",

    CONSTRAINT "tip_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tip_score" (
    "tip_id" UUID NOT NULL,
    "policy" TEXT NOT NULL,
    "task_id" TEXT NOT NULL,
    "features" JSONB NOT NULL,
    "mean" DOUBLE PRECISION NOT NULL,
    "bonus" DOUBLE PRECISION NOT NULL,
    "ucb" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "tip_score_pkey" PRIMARY KEY ("tip_id","policy","task_id")
);

-- CreateTable
CREATE TABLE "tip_reaction" (
    "tip_id" UUID NOT NULL,
    "kind" "tip_reaction_kind" NOT NULL,
    "action" TEXT NOT NULL,
    "reward" DOUBLE PRECISION NOT NULL,
    "source" TEXT NOT NULL,
    "reacted_at" TIMESTAMPTZ(6) NOT NULL,
    "event_id" UUID NOT NULL,

    CONSTRAINT "tip_reaction_pkey" PRIMARY KEY ("tip_id","kind")
);

-- CreateTable
CREATE TABLE "task_hold" (
    "user_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "task_id" TEXT NOT NULL,
    "until" TIMESTAMPTZ(6) NOT NULL,
    "reason" "task_hold_reason" NOT NULL,

    CONSTRAINT "task_hold_pkey" PRIMARY KEY ("user_id","provider","task_id")
);

-- CreateIndex
CREATE INDEX "tip_user_id_served_at_idx" ON "tip"("user_id", "served_at");

-- CreateIndex
CREATE UNIQUE INDEX "tip_one_open_per_user_channel" ON "tip"("user_id", "channel") WHERE (ended_at IS NULL);

-- AddForeignKey
ALTER TABLE "tip_score" ADD CONSTRAINT "tip_score_tip_id_fkey" FOREIGN KEY ("tip_id") REFERENCES "tip"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tip_reaction" ADD CONSTRAINT "tip_reaction_tip_id_fkey" FOREIGN KEY ("tip_id") REFERENCES "tip"("id") ON DELETE CASCADE ON UPDATE CASCADE;
