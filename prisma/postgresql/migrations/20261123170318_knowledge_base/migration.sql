-- CreateTable
CREATE TABLE "KnowledgeArticle" (
    "id" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "audience" TEXT NOT NULL DEFAULT '',
    "regions" TEXT NOT NULL DEFAULT '',
    "content" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "reviewed" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KnowledgeArticle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KnowledgeEvent" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "articleId" TEXT,
    "personId" INTEGER,
    "question" TEXT,
    "lang" TEXT,
    "sourceKey" TEXT,

    CONSTRAINT "KnowledgeEvent_pkey" PRIMARY KEY ("id")
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

