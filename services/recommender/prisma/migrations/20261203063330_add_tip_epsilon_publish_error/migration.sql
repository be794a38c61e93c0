-- AlterTable
ALTER TABLE "tip" ADD COLUMN     "served_publish_error" TEXT,
ADD COLUMN     "epsilon" DOUBLE PRECISION;
