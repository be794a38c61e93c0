-- AlterTable
ALTER TABLE "tip" ADD COLUMN     "served_event_id" UUID,
ADD COLUMN     "served_published_at" TIMESTAMPTZ(6);

-- CreateIndex
CREATE INDEX "tip_served_unpublished" ON "tip"("served_at") WHERE (served_published_at IS NULL);

-- Tips logged before the outbox had their tip.served published (or lost) at the time: nothing to relay.
UPDATE "tip" SET "served_published_at" = "served_at" WHERE "served_published_at" IS NULL;
