-- AlterTable
ALTER TABLE "InboxUpdate" ADD COLUMN "chatId" BIGINT;
ALTER TABLE "InboxUpdate" ADD COLUMN "claimedUntil" DATETIME;
ALTER TABLE "InboxUpdate" ADD COLUMN "sourceKey" TEXT;

-- AlterTable
ALTER TABLE "Case" ADD COLUMN "sourceKey" TEXT;

-- AlterTable
ALTER TABLE "CaseEvent" ADD COLUMN "sourceKey" TEXT;

-- AlterTable
ALTER TABLE "CaseMessage" ADD COLUMN "sourceKey" TEXT;

-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN "caseId" INTEGER;

-- CreateTable
CREATE TABLE "HeldMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "chatId" BIGINT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "HeldMessage_chatId_id_idx" ON "HeldMessage"("chatId", "id");

-- CreateIndex
CREATE INDEX "HeldMessage_createdAt_idx" ON "HeldMessage"("createdAt");

-- CreateIndex
CREATE INDEX "InboxUpdate_chatId_idx" ON "InboxUpdate"("chatId");

-- CreateIndex
CREATE UNIQUE INDEX "Case_sourceKey_key" ON "Case"("sourceKey");

-- CreateIndex
CREATE UNIQUE INDEX "CaseEvent_sourceKey_key" ON "CaseEvent"("sourceKey");

-- CreateIndex
CREATE UNIQUE INDEX "CaseMessage_sourceKey_key" ON "CaseMessage"("sourceKey");

-- CreateIndex
CREATE INDEX "Outbox_caseId_idx" ON "Outbox"("caseId");

-- CreateIndex
CREATE INDEX "Outbox_chatId_idx" ON "Outbox"("chatId");

