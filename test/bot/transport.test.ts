// How updates arrive and where sessions live: webhook mode with its secret, and the opt-in
// grammY free session storage (against a stand-in of its service on loopback).
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqliteTestDb, type TestDb } from "../helpers/db.js";
import { Harness, harness, TOKEN } from "../helpers/harness.js";
import { createHttpServer } from "../../src/server.js";

let db: TestDb;
beforeEach(async () => {
  db = await sqliteTestDb();
});
afterEach(async () => db.dispose());

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const body = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let s = "";
    req.on("data", (c) => (s += c));
    req.on("end", () => resolve(s));
  });

describe("webhook mode", () => {
  let server: Server;
  afterEach(() => new Promise((r) => server.close(r)));

  it("accepts updates only with the secret token, and serves a health check", async () => {
    const h = await harness(db);
    server = createHttpServer({ bot: h.bot, path: "/tg/hook", secret: "s3cret-s3cret-s3cret", prisma: db.prisma });
    const base = await listen(server);
    const update = h.message(h.user(801), { text: "/start", entities: [{ type: "bot_command", offset: 0, length: 6 }] });
    const post = (secret?: string) =>
      fetch(`${base}/tg/hook`, { method: "POST", headers: { "content-type": "application/json", ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}) }, body: JSON.stringify(update) });

    expect((await post()).status).toBe(401);
    expect((await post("wrong-wrong-wrong-wrong")).status).toBe(401);
    expect(h.calls).toHaveLength(0);
    expect((await post("s3cret-s3cret-s3cret")).status).toBe(200);
    expect(h.lastText(801)).toContain("Выберите язык");
    // Telegram retrying the same update gets 200 and no second answer.
    const sent = h.calls.length;
    expect((await post("s3cret-s3cret-s3cret")).status).toBe(200);
    expect(h.calls.length).toBe(sent);

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, database: true });
    expect((await fetch(`${base}/other`)).status).toBe(404);
  });
});

describe("SESSION_STORAGE=free", () => {
  let server: Server;
  afterEach(() => new Promise((r) => server.close(r)));

  it("keeps sessions in the free storage service, logging in with the bot token", async () => {
    const store = new Map<string, string>();
    const seen: string[] = [];
    server = createServer(async (req, res) => {
      const text = await body(req);
      seen.push(`${req.method} ${req.url}`);
      if (req.url === "/api/login") {
        const ok = JSON.parse(text).token === TOKEN;
        return res.writeHead(ok ? 200 : 401).end(JSON.stringify(ok ? { token: "jwt-1" } : { error: "bad token" }));
      }
      if (req.headers.authorization !== "Bearer jwt-1") return res.writeHead(401).end("{}");
      const key = decodeURIComponent(req.url!.replace("/api/session/", ""));
      if (req.method === "GET") return store.has(key) ? res.writeHead(200).end(store.get(key)) : res.writeHead(404).end("{}");
      if (req.method === "POST") return store.set(key, text), res.writeHead(200).end("{}");
      if (req.method === "DELETE") return store.delete(key), res.writeHead(200).end("{}");
      res.writeHead(400).end("{}");
    });
    const base = await listen(server);
    const h = await harness(db, { env: { SESSION_STORAGE: "free", FREE_STORAGE_URL: `${base}/api` } });
    const u = h.user(802);
    await h.command(u, "start");
    await h.press(u, "lang:ru");
    await h.press(u, "consent:yes");
    const menuId = h.lastMessageId(u.id);
    expect(seen[0]).toBe("POST /api/login");
    expect(JSON.parse(store.get("802")!)).toEqual({ menuMessageId: menuId });
    // No session rows in the database; the person and consent still are there.
    expect(await db.prisma.session.count({ where: { key: "802" } })).toBe(0);
    expect(await db.prisma.consent.count()).toBe(1);
    // A second bot process reads the same session: the old menu loses its buttons when a new one is sent.
    const h2 = await harness(db, { env: { SESSION_STORAGE: "free", FREE_STORAGE_URL: `${base}/api` } });
    await h2.command(u, "menu");
    expect(h2.calls.find((c) => c.method === "editMessageReplyMarkup")?.payload.message_id).toBe(menuId);
    expect(Harness.buttons(h2.last(u.id)).length).toBe(8);
  });
});
