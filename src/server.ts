// HTTP side of webhook mode: Telegram's POSTs (secret token checked by grammY) and a health check.
import { createServer, type Server } from "node:http";
import { webhookCallback, type Bot } from "grammy";
import type { BotContext } from "./bot/context.js";
import type { Db } from "./db/client.js";

export function createHttpServer(opts: { bot: Bot<BotContext>; path: string; secret: string; prisma: Db }): Server {
  const handleUpdate = webhookCallback(opts.bot, "http", { secretToken: opts.secret, onTimeout: "return", timeoutMilliseconds: 50_000 });
  return createServer((req, res) => {
    const url = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && url === "/healthz") {
      opts.prisma.$queryRawUnsafe("SELECT 1").then(
        () => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'),
        () => res.writeHead(503, { "content-type": "application/json" }).end('{"ok":false}'),
      );
      return;
    }
    if (req.method === "POST" && url === opts.path) {
      handleUpdate(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    res.writeHead(404).end();
  });
}
