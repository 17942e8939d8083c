-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "announcementsOffAt" TIMESTAMP(3),
ADD COLUMN     "unreachableAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN     "announcementId" INTEGER,
ADD COLUMN     "claimToken" TEXT;

-- CreateTable
CREATE TABLE "Announcement" (
    "id" SERIAL NOT NULL,
    "createdBy" INTEGER,
    "audience" TEXT NOT NULL DEFAULT '{}',
    "text" TEXT,
    "sourceChatId" BIGINT,
    "sourceMessageId" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "total" INTEGER NOT NULL DEFAULT 0,
    "progressChatId" BIGINT,
    "progressMessageId" INTEGER,
    "progressAt" TIMESTAMP(3),
    "sourceKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "queuedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Announcement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeliveryPace" (
    "key" TEXT NOT NULL,
    "nextSlotMs" BIGINT NOT NULL DEFAULT 0,
    "pausedUntilMs" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "DeliveryPace_pkey" PRIMARY KEY ("key")
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

