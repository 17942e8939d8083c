-- CreateTable
CREATE TABLE "KnowledgeArticle" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "category" TEXT NOT NULL,
    "audience" TEXT NOT NULL DEFAULT '',
    "regions" TEXT NOT NULL DEFAULT '',
    "content" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "reviewed" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "KnowledgeEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "articleId" TEXT,
    "personId" INTEGER,
    "question" TEXT,
    "lang" TEXT,
    "sourceKey" TEXT
);

-- CreateIndex
CREATE INDEX "KnowledgeArticle_active_category_idx" ON "KnowledgeArticle"("active", "category");

-- CreateIndex
CREATE UNIQUE INDEX "KnowledgeEvent_sourceKey_key" ON "KnowledgeEvent"("sourceKey");

-- CreateIndex
CREATE INDEX "KnowledgeEvent_kind_at_idx" ON "KnowledgeEvent"("kind", "at");

-- CreateIndex
CREATE INDEX "KnowledgeEvent_articleId_idx" ON "KnowledgeEvent"("articleId");

-- CreateIndex
CREATE INDEX "KnowledgeEvent_personId_idx" ON "KnowledgeEvent"("personId");

