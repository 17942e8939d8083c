// `npm run db:migrate`: applies pending migrations to DATABASE_URL (the bot also does this at start).
import "dotenv/config";
import { migrate } from "./migrate.js";

const url = process.env.DATABASE_URL?.trim() || "file:./data/bot.db";
migrate(url).then(
  (r) => console.log(r.applied.length ? `applied: ${r.applied.join(", ")}` : `up to date (${r.alreadyApplied} migrations)`),
  (err) => {
    console.error(`Migration failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
