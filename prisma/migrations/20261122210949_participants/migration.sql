-- CreateTable
CREATE TABLE "Region" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "country" TEXT NOT NULL,
    "nameRu" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "nameLt" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "sort" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "Profile" (
    "personId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "role" TEXT NOT NULL,
    "fullName" TEXT,
    "birthDate" TEXT,
    "regionCode" TEXT,
    "institution" TEXT,
    "leftYear" INTEGER,
    "phone" TEXT,
    "interests" TEXT NOT NULL DEFAULT '',
    "relation" TEXT,
    "memberStatus" TEXT,
    "contactTime" TEXT,
    "registeredAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "erasedAt" DATETIME,
    CONSTRAINT "Profile_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Profile_regionCode_fkey" FOREIGN KEY ("regionCode") REFERENCES "Region" ("code") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RoleChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "personId" INTEGER NOT NULL,
    "fromRole" TEXT,
    "toRole" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "RoleChange_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Region_country_enabled_idx" ON "Region"("country", "enabled");

-- CreateIndex
CREATE INDEX "Profile_role_regionCode_idx" ON "Profile"("role", "regionCode");

-- CreateIndex
CREATE INDEX "RoleChange_personId_idx" ON "RoleChange"("personId");

