-- CreateTable
CREATE TABLE "EventSeries" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "completeAfter" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Event" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '{}',
    "timeZone" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "place" TEXT,
    "onlineUrl" TEXT,
    "regions" TEXT NOT NULL DEFAULT '',
    "audience" TEXT NOT NULL DEFAULT '',
    "minAge" INTEGER,
    "maxAge" INTEGER,
    "capacity" INTEGER,
    "seatsTaken" INTEGER NOT NULL DEFAULT 0,
    "hasQuotas" BOOLEAN NOT NULL DEFAULT false,
    "queueSeq" INTEGER NOT NULL DEFAULT 0,
    "signUpUntil" DATETIME,
    "needsApproval" BOOLEAN NOT NULL DEFAULT false,
    "waitingList" BOOLEAN NOT NULL DEFAULT true,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "maxAdults" INTEGER NOT NULL DEFAULT 1,
    "maxChildren" INTEGER NOT NULL DEFAULT 0,
    "questions" TEXT NOT NULL DEFAULT '[]',
    "seriesId" INTEGER,
    "createdBy" INTEGER,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Event_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "EventSeries" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EventQuota" (
    "eventId" INTEGER NOT NULL,
    "regionCode" TEXT NOT NULL,
    "seats" INTEGER NOT NULL,
    "taken" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("eventId", "regionCode"),
    CONSTRAINT "EventQuota_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Enrolment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "eventId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "endReason" TEXT,
    "adults" INTEGER NOT NULL DEFAULT 1,
    "children" INTEGER NOT NULL DEFAULT 0,
    "queueOrder" INTEGER,
    "offerRound" INTEGER NOT NULL DEFAULT 0,
    "approvalNeeded" BOOLEAN NOT NULL DEFAULT false,
    "offerUntil" DATETIME,
    "regionCode" TEXT,
    "role" TEXT,
    "answers" TEXT,
    "guardian" TEXT,
    "sourceKey" TEXT,
    "createdAt" DATETIME NOT NULL,
    "confirmedAt" DATETIME,
    "endedAt" DATETIME,
    "decidedBy" INTEGER,
    CONSTRAINT "Enrolment_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Enrolment_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Attendance" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "enrolmentId" INTEGER NOT NULL,
    "eventId" INTEGER NOT NULL,
    "day" TEXT NOT NULL,
    "markedBy" INTEGER,
    "markedAt" DATETIME NOT NULL,
    CONSTRAINT "Attendance_enrolmentId_fkey" FOREIGN KEY ("enrolmentId") REFERENCES "Enrolment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ScheduledJob" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "payload" TEXT NOT NULL,
    "claimedUntil" DATETIME,
    "doneAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Coordinator" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "telegramId" BIGINT NOT NULL,
    "regions" TEXT NOT NULL DEFAULT '',
    "categories" TEXT NOT NULL,
    "maxOpen" INTEGER NOT NULL DEFAULT 10,
    "openCases" INTEGER NOT NULL DEFAULT 0,
    "onDuty" BOOLEAN NOT NULL DEFAULT true,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "supervisor" BOOLEAN NOT NULL DEFAULT false,
    "organiser" BOOLEAN NOT NULL DEFAULT false,
    "lastAssignedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Coordinator" ("active", "categories", "createdAt", "id", "lastAssignedAt", "maxOpen", "onDuty", "openCases", "regions", "supervisor", "telegramId") SELECT "active", "categories", "createdAt", "id", "lastAssignedAt", "maxOpen", "onDuty", "openCases", "regions", "supervisor", "telegramId" FROM "Coordinator";
DROP TABLE "Coordinator";
ALTER TABLE "new_Coordinator" RENAME TO "Coordinator";
CREATE UNIQUE INDEX "Coordinator_telegramId_key" ON "Coordinator"("telegramId");
CREATE INDEX "Coordinator_active_onDuty_idx" ON "Coordinator"("active", "onDuty");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "EventSeries_code_key" ON "EventSeries"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Event_code_key" ON "Event"("code");

-- CreateIndex
CREATE INDEX "Event_status_startsAt_idx" ON "Event"("status", "startsAt");

-- CreateIndex
CREATE INDEX "Event_seriesId_idx" ON "Event"("seriesId");

-- CreateIndex
CREATE UNIQUE INDEX "Enrolment_sourceKey_key" ON "Enrolment"("sourceKey");

-- CreateIndex
CREATE INDEX "Enrolment_eventId_status_queueOrder_idx" ON "Enrolment"("eventId", "status", "queueOrder");

-- CreateIndex
CREATE INDEX "Enrolment_personId_status_idx" ON "Enrolment"("personId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Enrolment_eventId_personId_key" ON "Enrolment"("eventId", "personId");

-- CreateIndex
CREATE INDEX "Attendance_eventId_idx" ON "Attendance"("eventId");

-- CreateIndex
CREATE UNIQUE INDEX "Attendance_enrolmentId_day_key" ON "Attendance"("enrolmentId", "day");

-- CreateIndex
CREATE UNIQUE INDEX "ScheduledJob_key_key" ON "ScheduledJob"("key");

-- CreateIndex
CREATE INDEX "ScheduledJob_doneAt_dueAt_idx" ON "ScheduledJob"("doneAt", "dueAt");

