-- CreateTable
CREATE TABLE "Coordinator" (
    "id" SERIAL NOT NULL,
    "telegramId" BIGINT NOT NULL,
    "regions" TEXT NOT NULL DEFAULT '',
    "categories" TEXT NOT NULL,
    "maxOpen" INTEGER NOT NULL DEFAULT 10,
    "openCases" INTEGER NOT NULL DEFAULT 0,
    "onDuty" BOOLEAN NOT NULL DEFAULT true,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "supervisor" BOOLEAN NOT NULL DEFAULT false,
    "lastAssignedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Coordinator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Case" (
    "id" SERIAL NOT NULL,
    "number" TEXT NOT NULL,
    "requesterId" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "regionCode" TEXT,
    "urgency" TEXT NOT NULL,
    "description" TEXT,
    "status" TEXT NOT NULL,
    "coordinatorId" INTEGER,
    "offeredAt" TIMESTAMP(3),
    "passedBy" TEXT NOT NULL DEFAULT '',
    "sourceUpdateId" BIGINT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "firstResponseAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "lastActivityAt" TIMESTAMP(3) NOT NULL,
    "rating" INTEGER,
    "ratingComment" TEXT,

    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseEvent" (
    "id" SERIAL NOT NULL,
    "caseId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "detail" TEXT,

    CONSTRAINT "CaseEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseMessage" (
    "id" SERIAL NOT NULL,
    "caseId" INTEGER NOT NULL,
    "author" TEXT NOT NULL,
    "text" TEXT,
    "fileId" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'text',
    "relayedChatId" BIGINT,
    "relayedMessageId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CaseMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Outbox" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "chatId" BIGINT NOT NULL,
    "method" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "claimedUntil" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "sentMessageId" INTEGER,
    "caseMessageId" INTEGER,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invite" (
    "token" TEXT NOT NULL,
    "regions" TEXT NOT NULL DEFAULT '',
    "categories" TEXT NOT NULL,
    "maxOpen" INTEGER NOT NULL DEFAULT 10,
    "supervisor" BOOLEAN NOT NULL DEFAULT false,
    "createdBy" BIGINT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "usedBy" BIGINT,

    CONSTRAINT "Invite_pkey" PRIMARY KEY ("token")
);

-- CreateIndex
CREATE UNIQUE INDEX "Coordinator_telegramId_key" ON "Coordinator"("telegramId");

-- CreateIndex
CREATE INDEX "Coordinator_active_onDuty_idx" ON "Coordinator"("active", "onDuty");

-- CreateIndex
CREATE UNIQUE INDEX "Case_number_key" ON "Case"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Case_sourceUpdateId_key" ON "Case"("sourceUpdateId");

-- CreateIndex
CREATE INDEX "Case_status_offeredAt_idx" ON "Case"("status", "offeredAt");

-- CreateIndex
CREATE INDEX "Case_coordinatorId_status_idx" ON "Case"("coordinatorId", "status");

-- CreateIndex
CREATE INDEX "Case_requesterId_status_idx" ON "Case"("requesterId", "status");

-- CreateIndex
CREATE INDEX "CaseEvent_caseId_at_idx" ON "CaseEvent"("caseId", "at");

-- CreateIndex
CREATE INDEX "CaseMessage_caseId_idx" ON "CaseMessage"("caseId");

-- CreateIndex
CREATE INDEX "CaseMessage_relayedChatId_relayedMessageId_idx" ON "CaseMessage"("relayedChatId", "relayedMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "Outbox_key_key" ON "Outbox"("key");

-- CreateIndex
CREATE INDEX "Outbox_sentAt_nextAttemptAt_idx" ON "Outbox"("sentAt", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_coordinatorId_fkey" FOREIGN KEY ("coordinatorId") REFERENCES "Coordinator"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseEvent" ADD CONSTRAINT "CaseEvent_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseMessage" ADD CONSTRAINT "CaseMessage_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

