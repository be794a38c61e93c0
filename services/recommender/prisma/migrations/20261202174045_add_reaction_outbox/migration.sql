-- AlterTable
ALTER TABLE "tip_reaction" ADD COLUMN     "published_at" TIMESTAMPTZ(6);

-- CreateIndex
CREATE INDEX "tip_reaction_unpublished" ON "tip_reaction"("reacted_at") WHERE (published_at IS NULL);
