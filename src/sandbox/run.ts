// `npm start` without a token: the real bot (same code, database layer and jobs) talking to a Bot
// API server embedded in this process, and a chat page for people to play, both on one loopback
// port. Its database is its own file; "reset sandbox" stops the bot, deletes that file and starts
// over with fresh demo data.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { rm } from "node:fs/promises";
import { loadSandboxBotConfig, loadSandboxSettings } from "../config.js";
import { createLogger, type Logger } from "../logger.js";
import { startApp, type App } from "../app.js";
import { sqlitePath } from "../db/url.js";
import { BotApi } from "./bot-api/server.js";
import { pageHandler } from "./web.js";
import { ensureDemoData } from "./demo.js";
import { ADMIN_IDS, PERSONAS } from "./personas.js";

export interface Sandbox extends App {
  logger: Logger;
  url: string;
}

export async function startSandbox(env: Record<string, string | undefined>): Promise<Sandbox> {
  const settings = loadSandboxSettings(env);
  const api = new BotApi({ first_name: "Бот программы", username: "programme_sandbox_bot" });
  const addPeople = () => PERSONAS.forEach(({ id, first_name, last_name }) => api.state.addUser({ id, first_name, last_name, language_code: "ru" }));
  let handlePage: ReturnType<typeof pageHandler> | undefined;
  const server = createServer((req, res) => {
    if (api.handle(req, res)) return;
    if (handlePage) void handlePage(req, res);
    else res.writeHead(503, { "retry-after": "1" }).end("starting");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.SANDBOX_PORT, "127.0.0.1", resolve);
  }).catch((err: NodeJS.ErrnoException) => {
    throw new Error(err.code === "EADDRINUSE" ? `port ${settings.SANDBOX_PORT} is taken; set SANDBOX_PORT to another port for the sandbox` : err.message);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadSandboxBotConfig(env, url, settings, ADMIN_IDS);
  const dbFile = sqlitePath(settings.SANDBOX_DATABASE_URL);
  console.log(
    [
      "SANDBOX: no BOT_TOKEN is set, so the bot runs here with a Telegram of its own; nothing leaves this computer.",
      `Open ${url} in a browser and chat with the bot as a family member, a graduate, a coordinator, a supervisor or an administrator.`,
      `Sandbox data: ${dbFile} (never the production database); "Reset sandbox" on the page starts over.`,
      "To connect to Telegram instead: put the token from @BotFather in BOT_TOKEN (in .env) and start again.",
    ].join("\n"),
  );
  const logger = createLogger(config.LOG_LEVEL);
  const start = () => startApp(config, logger, { prepare: (db) => ensureDemoData(db, logger) });
  addPeople();
  let app = await start();
  let resetting: Promise<void> | undefined;
  const reset = () =>
    (resetting ??= (async () => {
      await app.stop();
      for (const suffix of ["", "-wal", "-shm", "-journal"]) await rm(dbFile + suffix, { force: true });
      api.state.reset();
      addPeople();
      app = await start();
      logger.info("sandbox: reset");
    })().finally(() => (resetting = undefined)));
  handlePage = pageHandler({ api, reset, defaultLocale: config.DEFAULT_LOCALE });
  logger.info({ url }, "sandbox: ready");
  return {
    logger,
    url,
    async stop() {
      await resetting?.catch(() => undefined);
      await app.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
