// Loading the article files into the database: the starter set shipped with the bot, then a
// programme's own folder (KNOWLEDGE_DIR or `kb import --dir`), whose articles replace or add to it.
// Run at every start and by `npm run admin -- kb import`; idempotent.
import type { Db } from "../../db/client.js";
import type { Clock } from "../clock.js";
import { loadArticles, STARTER_DIR } from "./articles.js";
import { importArticles, STARTER, type ImportResult } from "./store.js";

export interface SeedReport {
  starter: ImportResult;
  own?: ImportResult;
  /** One line per broken file or field: "<file>: <field>: <problem>". */
  problems: string[];
}

export async function seedKnowledge(db: Db, clock: Clock, ownDir?: string): Promise<SeedReport> {
  const shipped = await loadArticles(STARTER_DIR);
  const starter = await importArticles(db, shipped.articles, STARTER, clock());
  if (!ownDir) return { starter, problems: shipped.problems };
  const own = await loadArticles(ownDir);
  return { starter, own: await importArticles(db, own.articles, ownDir, clock()), problems: [...shipped.problems, ...own.problems] };
}
