// The bot with everything it runs on: database (migrated, seeded), bot, jobs, /healthz and /metrics,
// and polling or the webhook server. Started by main.ts for Telegram and by the sandbox (again after
// a reset); stop() stops taking updates, lets the ones in hand finish, then closes the database.
import { run, type RunnerHandle } from "@grammyjs/runner";
import type { Server } from "node:http";
import type { UserFromGetMe } from "grammy/types";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import { migrate, oneAtATime } from "./db/migrate.js";
import { openDatabase, type Db } from "./db/client.js";
import { createI18n } from "./i18n.js";
import { allFeatures, commandsOf, createBot, MEMBER_FEATURES } from "./bot/create-bot.js";
import { seedRegions } from "./services/regions.js";
import { seedKnowledge } from "./services/knowledge/seed.js";
import { registerAdminCommands, registerCommands } from "./bot/commands.js";
import { startJobs } from "./jobs/scheduler.js";
import { housekeepingJob } from "./jobs/housekeeping.js";
import { outboxJob } from "./jobs/outbox.js";
import { escalationJob } from "./jobs/cases.js";
import { eventsJob } from "./jobs/events.js";
import { createHttpServer, createOpsServer } from "./server.js";
import { holdSingleProcessLock } from "./db/single-process.js";
import { engineOf, sqlitePath } from "./db/url.js";
import { countRateLimits } from "./ops/metrics.js";
import { systemClock } from "./services/clock.js";
import { finishUnfinished, keepFetchedUpdates, recoverUpdatesJob } from "./bot/transport/inbox.js";
import { createDeliveryApi } from "./bot/transport/api-defaults.js";

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

/** Starts the bot and all it runs on; throws SecondProcessError when another process holds the SQLite file. */
export async function startApp(config: Config, logger: Logger, opts: AppOptions = {}): Promise<App> {
  const startedAt = new Date();
  // SQLite is one process by design; a second one on the same file is refused (db/single-process.ts).
  const sqlite = engineOf(config.DATABASE_URL) === "sqlite" && sqlitePath(config.DATABASE_URL) !== ":memory:";
  const processLock = sqlite ? holdSingleProcessLock(sqlitePath(config.DATABASE_URL)) : undefined;
  try {
    return await startHolding(config, logger, opts, startedAt, processLock);
  } catch (err) {
    processLock?.release(); // a start that failed leaves the file free for the next one
    throw err;
  }
}

async function startHolding(config: Config, logger: Logger, opts: AppOptions, startedAt: Date, processLock: { release(): void } | undefined): Promise<App> {
  const migrated = await migrate(config.DATABASE_URL);
  if (migrated.applied.length) logger.info({ applied: migrated.applied }, "database migrated");
  const db = await openDatabase(config.DATABASE_URL, {
    poolSize: config.DATABASE_POOL_SIZE,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    onCheckpointFailure: (reason) => logger.warn({ reason }, "background WAL checkpoints stopped; the database checkpoints itself again"),
  });
  // Processes started together seed one after another (PostgreSQL), not over each other's rows.
  const kb = await oneAtATime(config.DATABASE_URL, async () => {
    await seedRegions(db.prisma);
    // Knowledge-base articles: the starter set, then the programme's own folder. A broken file is
    // reported (file, field, problem) and the others load.
    return seedKnowledge(db.prisma, systemClock, config.KNOWLEDGE_DIR);
  });
  for (const problem of kb.problems) logger.warn({ problem }, "knowledge-base article not loaded");
  await opts.prepare?.(db.prisma);
  const i18n = await createI18n(config.DEFAULT_LOCALE);
  const deps = { config, prisma: db.prisma, logger, i18n, clock: systemClock };
  const bot = createBot(deps);
  if (opts.botInfo) bot.botInfo = opts.botInfo;
  await bot.init();
  await finishUnfinished(bot, deps);
  const commands = commandsOf(allFeatures(MEMBER_FEATURES));
  await registerCommands(bot.api, i18n, commands, config.DEFAULT_LOCALE, logger);
  await registerAdminCommands(bot.api, i18n, commands, config.ADMIN_TELEGRAM_IDS, config.DEFAULT_LOCALE, logger);
  // The outbox sends with its own client: no waiting retries, a short timeout (see createDeliveryApi).
  const deliveryApi = createDeliveryApi(config.BOT_TOKEN, { apiRoot: config.BOT_API_ROOT });
  bot.api.config.use(countRateLimits);
  deliveryApi.config.use(countRateLimits);
  // Each job runs in one process at a time among all sharing the database (jobs/lease.ts).
  const jobList = [housekeepingJob(deps), recoverUpdatesJob(bot, deps), outboxJob(deps, deliveryApi), escalationJob(deps), eventsJob(deps)];
  const jobs = startJobs(jobList, logger, { prisma: db.prisma, holder: config.INSTANCE_NAME, clock: systemClock });
  const health = { prisma: db.prisma, clock: systemClock, startedAt, jobs: { list: jobList, running: jobs.running } };
  let opsServer: Server | undefined;
  if (config.METRICS_PORT) {
    opsServer = createOpsServer(health);
    await new Promise<void>((resolve) => opsServer!.listen(config.METRICS_PORT, config.METRICS_HOST, resolve));
    logger.info({ port: config.METRICS_PORT, host: config.METRICS_HOST }, "/healthz and /metrics: listening");
  }

  let runner: RunnerHandle | undefined;
  let server: Server | undefined;
  if (config.BOT_MODE === "webhook") {
    const url = new URL(config.WEBHOOK_URL!);
    server = createHttpServer({ bot, path: url.pathname, secret: config.WEBHOOK_SECRET!, ...health });
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
      if (opsServer) await new Promise((resolve) => opsServer!.close(resolve));
      try {
        await jobs.stop();
        await db.close();
      } finally {
        processLock?.release();
      }
    },
  };
}
