-- CreateTable
CREATE TABLE "Coordinator" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "telegramId" BIGINT NOT NULL,
    "regions" TEXT NOT NULL DEFAULT '',
    "categories" TEXT NOT NULL,
    "maxOpen" INTEGER NOT NULL DEFAULT 10,
    "openCases" INTEGER NOT NULL DEFAULT 0,
    "onDuty" BOOLEAN NOT NULL DEFAULT true,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "supervisor" BOOLEAN NOT NULL DEFAULT false,
    "lastAssignedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Case" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" TEXT NOT NULL,
    "requesterId" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "regionCode" TEXT,
    "urgency" TEXT NOT NULL,
    "description" TEXT,
    "status" TEXT NOT NULL,
    "coordinatorId" INTEGER,
    "offeredAt" DATETIME,
    "passedBy" TEXT NOT NULL DEFAULT '',
    "sourceUpdateId" BIGINT,
    "createdAt" DATETIME NOT NULL,
    "firstResponseAt" DATETIME,
    "resolvedAt" DATETIME,
    "closedAt" DATETIME,
    "lastActivityAt" DATETIME NOT NULL,
    "rating" INTEGER,
    "ratingComment" TEXT,
    CONSTRAINT "Case_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Case_coordinatorId_fkey" FOREIGN KEY ("coordinatorId") REFERENCES "Coordinator" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CaseEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "caseId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "actor" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "detail" TEXT,
    CONSTRAINT "CaseEvent_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CaseMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "caseId" INTEGER NOT NULL,
    "author" TEXT NOT NULL,
    "text" TEXT,
    "fileId" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'text',
    "relayedChatId" BIGINT,
    "relayedMessageId" INTEGER,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "CaseMessage_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Outbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "chatId" BIGINT NOT NULL,
    "method" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "claimedUntil" DATETIME,
    "sentAt" DATETIME,
    "sentMessageId" INTEGER,
    "caseMessageId" INTEGER,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Invite" (
    "token" TEXT NOT NULL PRIMARY KEY,
    "regions" TEXT NOT NULL DEFAULT '',
    "categories" TEXT NOT NULL,
    "maxOpen" INTEGER NOT NULL DEFAULT 10,
    "supervisor" BOOLEAN NOT NULL DEFAULT false,
    "createdBy" BIGINT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "usedBy" BIGINT
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

