import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, loadSandboxBotConfig, loadSandboxSettings, sandboxWanted } from "../../src/config.js";

const TOKEN = "123456789:AAtest-token-for-tests-only_xxxxxxxxxx";

function error(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a configuration error");
}

describe("configuration", () => {
  it("has working defaults: SQLite under data/, polling, Russian, Telegram's API", () => {
    const c = loadConfig({ BOT_TOKEN: TOKEN });
    expect(c).toMatchObject({
      DATABASE_URL: "file:./data/bot.db",
      BOT_MODE: "polling",
      DEFAULT_LOCALE: "ru",
      BOT_API_ROOT: "https://api.telegram.org",
      ADMIN_TELEGRAM_IDS: [],
      SESSION_STORAGE: "database",
      LOG_LEVEL: "info",
    });
  });

  it("reads the events and retention settings, with their defaults, and names a bad one", () => {
    expect(loadConfig({ BOT_TOKEN: TOKEN })).toMatchObject({ EVENT_OFFER_HOURS: 24, EVENT_REMINDER_HOURS: [24, 2], FORM_EXPIRY_DAYS: 30 });
    expect(loadConfig({ BOT_TOKEN: TOKEN, EVENT_REMINDER_HOURS: "48, 3", EVENT_OFFER_HOURS: "12" })).toMatchObject({ EVENT_OFFER_HOURS: 12, EVENT_REMINDER_HOURS: [48, 3] });
    expect(error({ BOT_TOKEN: TOKEN, EVENT_REMINDER_HOURS: "tomorrow" })).toBe("Configuration error: EVENT_REMINDER_HOURS must be hours before the start, separated by commas, e.g. 24,2");
  });

  it("names a missing token in one line", () => {
    const msg = error({});
    expect(msg).toMatch(/^Configuration error: BOT_TOKEN is required/);
    expect(msg).not.toContain("\n");
  });

  it("names each bad setting and what is expected", () => {
    expect(error({ BOT_TOKEN: "nonsense" })).toContain("BOT_TOKEN must look like 123456789:AA");
    expect(error({ BOT_TOKEN: TOKEN, DATABASE_URL: "mysql://x" })).toContain("DATABASE_URL must start with file: (SQLite) or postgresql://");
    expect(error({ BOT_TOKEN: TOKEN, DEFAULT_LOCALE: "de" })).toContain("DEFAULT_LOCALE must be one of ru, en, lt");
    expect(error({ BOT_TOKEN: TOKEN, ADMIN_TELEGRAM_IDS: "12,abc" })).toContain("ADMIN_TELEGRAM_IDS must be Telegram user ids");
    expect(error({ BOT_TOKEN: TOKEN, PORT: "http" })).toContain("PORT");
    expect(error({ BOT_TOKEN: TOKEN, BOT_MODE: "push" })).toContain("BOT_MODE must be polling or webhook");
  });

  it("requires a public https URL and a secret in webhook mode", () => {
    const msg = error({ BOT_TOKEN: TOKEN, BOT_MODE: "webhook" });
    expect(msg).toContain("WEBHOOK_URL is required when BOT_MODE=webhook");
    expect(msg).toContain("WEBHOOK_SECRET is required");
    expect(error({ BOT_TOKEN: TOKEN, BOT_MODE: "webhook", WEBHOOK_URL: "http://x.org/hook", WEBHOOK_SECRET: "a".repeat(20) })).toContain("WEBHOOK_URL");
    const ok = loadConfig({ BOT_TOKEN: TOKEN, BOT_MODE: "webhook", WEBHOOK_URL: "https://bot.example.org/tg", WEBHOOK_SECRET: "s3cret-s3cret-s3cret" });
    expect(ok.BOT_MODE).toBe("webhook");
  });

  it("parses admin ids and treats empty values as unset", () => {
    const c = loadConfig({ BOT_TOKEN: TOKEN, ADMIN_TELEGRAM_IDS: " 12, 34 ", DATABASE_URL: "  ", PORT: "" });
    expect(c.ADMIN_TELEGRAM_IDS).toEqual([12, 34]);
    expect(c.DATABASE_URL).toBe("file:./data/bot.db");
    expect(c.PORT).toBe(8080);
  });
});

describe("the sandbox", () => {
  it("opens without a token, but never in production or webhook mode", () => {
    expect(sandboxWanted({})).toBe(true);
    expect(sandboxWanted({ BOT_TOKEN: "  " })).toBe(true);
    expect(sandboxWanted({ BOT_TOKEN: "123:abc" })).toBe(false);
    expect(sandboxWanted({ NODE_ENV: "production" })).toBe(false);
    expect(sandboxWanted({ BOT_MODE: "webhook" })).toBe(false);
  });

  it("keeps its own database and port, and the bot's settings point at its own Bot API", () => {
    const s = loadSandboxSettings({ DATABASE_URL: "file:./data/bot.db" });
    expect(s).toEqual({ SANDBOX_PORT: 8080, SANDBOX_DATABASE_URL: "file:./data/sandbox.db" });
    const c = loadSandboxBotConfig({ DATABASE_URL: "postgresql://prod/db", BOT_API_ROOT: "https://api.telegram.org", BOT_MODE: "polling" }, "http://127.0.0.1:8080", s, [9001]);
    expect(c).toMatchObject({ DATABASE_URL: "file:./data/sandbox.db", BOT_API_ROOT: "http://127.0.0.1:8080", ADMIN_TELEGRAM_IDS: [9001], BOT_MODE: "polling" });
    expect(() => loadSandboxSettings({ SANDBOX_PORT: "eighty" })).toThrow(/^Configuration error: SANDBOX_PORT must be a port number$/);
    expect(() => loadSandboxSettings({ SANDBOX_DATABASE_URL: "postgresql://x/y" })).toThrow(/SANDBOX_DATABASE_URL must be a file: URL/);
  });
});
