-- DropIndex
DROP INDEX "tip_expiry_candidates";

-- AlterTable
ALTER TABLE "tip" ADD COLUMN     "terminal_at" TIMESTAMPTZ(6);

-- Backfill: a tip with a terminal reaction has its terminal_at, so it leaves the candidates.
UPDATE "tip" AS t
SET "terminal_at" = r."reacted_at"
FROM "tip_reaction" AS r
WHERE r."tip_id" = t."id" AND r."kind" = 'terminal' AND t."terminal_at" IS NULL;

-- CreateIndex
CREATE INDEX "tip_expiry_candidates" ON "tip"("served_at") WHERE (terminal_at IS NULL);
