// Starts the bot: settings checked, then Telegram asked who the bot is (one clear line when it
// cannot be reached or refuses the token), then the app. Without BOT_TOKEN, outside production and
// webhook mode, it starts the sandbox instead. SIGINT/SIGTERM stop it cleanly.
import "dotenv/config";
import { ConfigError, loadConfig, sandboxWanted, type Config } from "./config.js";
import { createLogger, type Logger } from "./logger.js";
import { startApp, type App } from "./app.js";
import { whoAmI } from "./bot/transport/preflight.js";
import { startSandbox } from "./sandbox/run.js";
import { SecondProcessError } from "./db/single-process.js";

function settings(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

async function main(): Promise<void> {
  let app: App;
  let logger: Logger;
  if (sandboxWanted(process.env)) {
    const sandbox = await startSandbox(process.env);
    app = sandbox;
    logger = sandbox.logger;
  } else {
    const config = settings();
    logger = createLogger(config.LOG_LEVEL, undefined, config.INSTANCE_NAME);
    const botInfo = await whoAmI(config.BOT_TOKEN, config.BOT_API_ROOT);
    app = await startApp(config, logger, { botInfo });
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 30_000).unref();
    try {
      await app.stop();
      logger.info("stopped");
    } finally {
      clearTimeout(force);
      process.exit(0);
    }
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  if (err instanceof SecondProcessError) {
    console.error(`Start refused: ${err.message}`);
    process.exit(2);
  }
  console.error(`Start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
