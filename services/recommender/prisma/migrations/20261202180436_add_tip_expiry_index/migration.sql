-- CreateIndex
CREATE INDEX "tip_expiry_candidates" ON "tip"("served_at") WHERE (ended_at IS NULL OR end_reason = 'task_gone');
