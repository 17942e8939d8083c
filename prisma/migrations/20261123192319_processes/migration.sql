-- AlterTable
ALTER TABLE "InboxUpdate" ADD COLUMN "claimedAt" DATETIME;
ALTER TABLE "InboxUpdate" ADD COLUMN "claimedBy" TEXT;

-- CreateTable
CREATE TABLE "JobLease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT,
    "leaseUntil" DATETIME,
    "lastStartedAt" DATETIME,
    "lastFinishedAt" DATETIME,
    "lastOk" BOOLEAN,
    "runs" INTEGER NOT NULL DEFAULT 0
);

-- CreateIndex
CREATE INDEX "InboxUpdate_chatId_handledAt_idx" ON "InboxUpdate"("chatId", "handledAt");

