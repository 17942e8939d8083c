-- AlterTable
ALTER TABLE "Coordinator" ADD COLUMN "firstName" TEXT;

-- AlterTable
ALTER TABLE "Case" ADD COLUMN "callbackPhone" TEXT;

