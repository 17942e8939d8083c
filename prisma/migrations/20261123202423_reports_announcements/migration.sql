-- AlterTable
ALTER TABLE "Person" ADD COLUMN "announcementsOffAt" DATETIME;
ALTER TABLE "Person" ADD COLUMN "unreachableAt" DATETIME;

-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN "announcementId" INTEGER;
ALTER TABLE "Outbox" ADD COLUMN "claimToken" TEXT;

-- CreateTable
CREATE TABLE "Announcement" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "createdBy" INTEGER,
    "audience" TEXT NOT NULL DEFAULT '{}',
    "text" TEXT,
    "sourceChatId" BIGINT,
    "sourceMessageId" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "total" INTEGER NOT NULL DEFAULT 0,
    "progressChatId" BIGINT,
    "progressMessageId" INTEGER,
    "progressAt" DATETIME,
    "sourceKey" TEXT,
    "createdAt" DATETIME NOT NULL,
    "queuedAt" DATETIME,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "DeliveryPace" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "nextSlotMs" BIGINT NOT NULL DEFAULT 0,
    "pausedUntilMs" BIGINT NOT NULL DEFAULT 0
);

-- CreateIndex
CREATE UNIQUE INDEX "Announcement_sourceKey_key" ON "Announcement"("sourceKey");

-- CreateIndex
CREATE INDEX "Announcement_status_idx" ON "Announcement"("status");

-- CreateIndex
CREATE INDEX "Profile_registeredAt_idx" ON "Profile"("registeredAt");

-- CreateIndex
CREATE INDEX "Case_createdAt_idx" ON "Case"("createdAt");

-- CreateIndex
CREATE INDEX "Outbox_announcementId_sentAt_idx" ON "Outbox"("announcementId", "sentAt");

