-- AlterTable
ALTER TABLE "Profile" ADD COLUMN     "guardianConfirmedAt" TIMESTAMP(3),
ADD COLUMN     "guardianConfirmedBy" BIGINT,
ADD COLUMN     "guardianContact" TEXT,
ADD COLUMN     "guardianName" TEXT;

