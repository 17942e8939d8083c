-- CreateTable
CREATE TABLE "Region" (
    "code" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "nameRu" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "nameLt" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "sort" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Region_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Profile" (
    "personId" INTEGER NOT NULL,
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
    "registeredAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "erasedAt" TIMESTAMP(3),

    CONSTRAINT "Profile_pkey" PRIMARY KEY ("personId")
);

-- CreateTable
CREATE TABLE "RoleChange" (
    "id" SERIAL NOT NULL,
    "personId" INTEGER NOT NULL,
    "fromRole" TEXT,
    "toRole" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoleChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Region_country_enabled_idx" ON "Region"("country", "enabled");

-- CreateIndex
CREATE INDEX "Profile_role_regionCode_idx" ON "Profile"("role", "regionCode");

-- CreateIndex
CREATE INDEX "RoleChange_personId_idx" ON "RoleChange"("personId");

-- AddForeignKey
ALTER TABLE "Profile" ADD CONSTRAINT "Profile_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Profile" ADD CONSTRAINT "Profile_regionCode_fkey" FOREIGN KEY ("regionCode") REFERENCES "Region"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleChange" ADD CONSTRAINT "RoleChange_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

