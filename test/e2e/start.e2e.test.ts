// How a start ends when it cannot go on, each in one line an administrator can act on: no route to
// the Bot API (a loopback server that never answers, a closed port), a token Telegram refuses (401),
// and no token in production or webhook mode (no sandbox there).
import { spawn } from "node:child_process";
import { createServer as createHttp } from "node:http";
import { createServer as createTcp, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { E2E_TOKEN } from "../helpers/emulator.js";

/** Runs `src/main.ts` until it exits; its output, exit code and how long it took. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; out: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "info", DATABASE_URL: "file:/nonexistent-dir-never-created/bot.db", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const killer = setTimeout(() => child.kill("SIGKILL"), 40_000);
  return new Promise((resolve) => child.on("exit", (code) => (clearTimeout(killer), resolve({ code, out, ms: Date.now() - started }))));
}

const listening = (s: Server | ReturnType<typeof createHttp>) => new Promise<string>((r) => s.listen(0, "127.0.0.1", () => r(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));
const secret = E2E_TOKEN.split(":")[1]!;

let silent: Server;
let refusing: ReturnType<typeof createHttp>;
let silentUrl = "";
let refusingUrl = "";
let closedUrl = "";
beforeAll(async () => {
  // Accepts connections and never answers: a firewall that drops, a dead proxy.
  silent = createTcp(() => undefined);
  silentUrl = await listening(silent);
  refusing = createHttp((_, res) => res.writeHead(401, { "content-type": "application/json" }).end('{"ok":false,"error_code":401,"description":"Unauthorized"}'));
  refusingUrl = await listening(refusing);
  const closed = createTcp();
  closedUrl = await listening(closed);
  await new Promise((r) => closed.close(r));
});
afterAll(() => {
  silent.close();
  refusing.close();
});

it("no answer from the Bot API: fails within 30 s, one line naming BOT_API_ROOT and what was tried", async () => {
  const r = await runToExit({ BOT_TOKEN: E2E_TOKEN, BOT_API_ROOT: silentUrl });
  expect(r.code).toBe(1);
  expect(r.ms).toBeLessThan(30_000);
  const lines = r.out.trim().split("\n").filter((l) => !/npm warn/.test(l));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^Start failed: Cannot reach the Bot API at ${silentUrl} \\(BOT_API_ROOT\\): tried ${silentUrl}/bot987654321:…/getMe, no answer within 10 s`));
  expect(r.out).not.toContain(secret);
}, 45_000);

it("a closed port: fails without waiting out the timeout, naming the error", async () => {
  const r = await runToExit({ BOT_TOKEN: E2E_TOKEN, BOT_API_ROOT: closedUrl });
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/Cannot reach the Bot API at .* \(BOT_API_ROOT\): tried .*getMe, it failed: ECONNREFUSED/);
}, 30_000);

it("a token Telegram refuses: one line saying so and how to get a new one", async () => {
  const r = await runToExit({ BOT_TOKEN: E2E_TOKEN, BOT_API_ROOT: refusingUrl });
  expect(r.code).toBe(1);
  const lines = r.out.trim().split("\n").filter((l) => !/npm warn/.test(l));
  expect(lines).toEqual([expect.stringMatching(/^Start failed: Telegram refused the token \(401 Unauthorized\): BOT_TOKEN is wrong or was revoked\. .*@BotFather/)]);
  expect(r.out).not.toContain(secret);
}, 30_000);

it.each([
  ["NODE_ENV=production", { NODE_ENV: "production" }],
  ["BOT_MODE=webhook", { BOT_MODE: "webhook", WEBHOOK_URL: "https://example.org/hook", WEBHOOK_SECRET: "0123456789abcdef" }],
])("no token with %s: the one-line configuration error, no sandbox", async (_, env) => {
  const r = await runToExit({ BOT_TOKEN: "", ...env });
  expect(r.code).toBe(2);
  expect(r.out.trim()).toMatch(/^Configuration error: BOT_TOKEN is required: the token BotFather gave you[^\n]*$/);
}, 30_000);
