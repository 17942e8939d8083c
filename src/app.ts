// The bot with everything it runs on: database (migrated, seeded), bot, jobs, and polling or the
// webhook server. Started by main.ts for Telegram and by the sandbox (again after a reset); stop()
// stops taking updates, lets the ones in hand finish, then closes the database.
import { run, type RunnerHandle } from "@grammyjs/runner";
import type { Server } from "node:http";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import { migrate } from "./db/migrate.js";
import { openDatabase, type Db } from "./db/client.js";
import { createI18n } from "./i18n.js";
import { allFeatures, commandsOf, createBot, MEMBER_FEATURES } from "./bot/create-bot.js";
import { seedRegions } from "./services/regions.js";
import { seedKnowledge } from "./services/knowledge/seed.js";
import { registerCommands } from "./bot/commands.js";
import { startJobs } from "./jobs/scheduler.js";
import { housekeepingJob } from "./jobs/housekeeping.js";
import { outboxJob } from "./jobs/outbox.js";
import { escalationJob } from "./jobs/cases.js";
import { eventsJob } from "./jobs/events.js";
import { createHttpServer } from "./server.js";
import { systemClock } from "./services/clock.js";
import { finishUnfinished, keepFetchedUpdates, recoverUpdatesJob } from "./bot/transport/inbox.js";
import { createDeliveryApi } from "./bot/transport/api-defaults.js";
import type { UserFromGetMe } from "grammy/types";

const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

export interface App {
  stop(): Promise<void>;
}

export interface AppOptions {
  /** The bot's own account, when the start already asked Telegram (saves a second getMe). */
  botInfo?: UserFromGetMe;
  /** Runs once the database is migrated and seeded, before the bot takes updates (sandbox demo data). */
  prepare?: (prisma: Db) => Promise<void>;
}

export async function startApp(config: Config, logger: Logger, opts: AppOptions = {}): Promise<App> {
  const migrated = await migrate(config.DATABASE_URL);
  if (migrated.applied.length) logger.info({ applied: migrated.applied }, "database migrated");
  const db = await openDatabase(config.DATABASE_URL, {
    onCheckpointFailure: (reason) => logger.warn({ reason }, "background WAL checkpoints stopped; the database checkpoints itself again"),
  });
  await seedRegions(db.prisma);
  // Knowledge-base articles: the starter set, then the programme's own folder. A broken file is
  // reported (file, field, problem) and the others load.
  const kb = await seedKnowledge(db.prisma, systemClock, config.KNOWLEDGE_DIR);
  for (const problem of kb.problems) logger.warn({ problem }, "knowledge-base article not loaded");
  await opts.prepare?.(db.prisma);
  const i18n = await createI18n(config.DEFAULT_LOCALE);
  const deps = { config, prisma: db.prisma, logger, i18n, clock: systemClock };
  const bot = createBot(deps);
  if (opts.botInfo) bot.botInfo = opts.botInfo;
  await bot.init();
  await finishUnfinished(bot, deps);
  await registerCommands(bot.api, i18n, commandsOf(allFeatures(MEMBER_FEATURES)), config.DEFAULT_LOCALE, logger);
  // The outbox sends with its own client: no waiting retries, a short timeout (see createDeliveryApi).
  const deliveryApi = createDeliveryApi(config.BOT_TOKEN, { apiRoot: config.BOT_API_ROOT });
  const jobs = startJobs([housekeepingJob(deps), recoverUpdatesJob(bot, deps), outboxJob(deps, deliveryApi), escalationJob(deps), eventsJob(deps)], logger);

  let runner: RunnerHandle | undefined;
  let server: Server | undefined;
  if (config.BOT_MODE === "webhook") {
    const url = new URL(config.WEBHOOK_URL!);
    server = createHttpServer({ bot, path: url.pathname, secret: config.WEBHOOK_SECRET!, prisma: db.prisma });
    await new Promise<void>((resolve) => server!.listen(config.PORT, config.HOST, resolve));
    await bot.api.setWebhook(url.toString(), {
      secret_token: config.WEBHOOK_SECRET,
      allowed_updates: [...ALLOWED_UPDATES],
      drop_pending_updates: config.DROP_PENDING_UPDATES,
    });
    logger.info({ port: config.PORT, path: url.pathname }, "webhook mode: listening");
  } else {
    await bot.api.deleteWebhook({ drop_pending_updates: config.DROP_PENDING_UPDATES }).catch((err) => logger.warn({ err }, "deleteWebhook failed"));
    keepFetchedUpdates(bot, deps);
    runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
    logger.info({ bot: bot.botInfo.username }, "polling mode: started");
  }

  return {
    async stop() {
      if (runner?.isRunning()) await runner.stop();
      if (server) await new Promise((resolve) => server!.close(resolve));
      await jobs.stop();
      await db.close();
    },
  };
}
