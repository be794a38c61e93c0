-- AlterTable
ALTER TABLE "tip_reaction" ADD COLUMN     "publish_error" TEXT;
