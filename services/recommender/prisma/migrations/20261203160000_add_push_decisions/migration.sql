-- Push tips are each their own decision: the one-open-tip rule is the web channel's alone.
DROP INDEX "tip_one_open_per_user_channel";
CREATE UNIQUE INDEX "tip_one_open_per_user_channel" ON "tip"("user_id", "channel") WHERE (ended_at IS NULL AND channel = 'web'::tip_channel);

-- CreateTable
CREATE TABLE "push_decision" (
    "id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "decision" JSONB NOT NULL,
    "decided_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "push_decision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "push_decision_decided_at_idx" ON "push_decision"("decided_at");

-- CreateIndex
CREATE INDEX "push_decision_user_id_idx" ON "push_decision"("user_id");
