-- AlterTable
ALTER TABLE "Profile" ADD COLUMN "guardianConfirmedAt" DATETIME;
ALTER TABLE "Profile" ADD COLUMN "guardianConfirmedBy" BIGINT;
ALTER TABLE "Profile" ADD COLUMN "guardianContact" TEXT;
ALTER TABLE "Profile" ADD COLUMN "guardianName" TEXT;

