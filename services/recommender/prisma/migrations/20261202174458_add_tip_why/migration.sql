-- AlterTable
ALTER TABLE "tip" ADD COLUMN     "explored" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "why" JSONB;
