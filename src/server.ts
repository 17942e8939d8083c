// HTTP side of the bot: in webhook mode Telegram's POSTs (secret token checked by grammY), and in
// any mode the operator's endpoints, GET /healthz (ops/health.ts) and GET /metrics (ops/metrics.ts),
// also on their own address (METRICS_PORT, loopback by default) so polling mode has them too.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { webhookCallback, type Bot } from "grammy";
import type { BotContext } from "./bot/context.js";
import { checkHealth, type HealthSources } from "./ops/health.js";
import { metricsRegistry } from "./ops/metrics.js";

type Handler = (req: IncomingMessage, res: ServerResponse, url: string) => boolean;

function opsRoutes(sources: HealthSources): Handler {
  const registry = metricsRegistry(sources.prisma, sources.clock ?? (() => new Date()));
  return (req, res, url) => {
    if (req.method !== "GET") return false;
    if (url === "/healthz") {
      void checkHealth(sources).then((h) => res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(h)));
      return true;
    }
    if (url === "/metrics") {
      registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
        () => res.writeHead(503, { "content-type": "text/plain" }).end("metrics unavailable\n"),
      );
      return true;
    }
    return false;
  };
}

function serve(routes: Handler[]): Server {
  return createServer((req, res) => {
    const url = (req.url ?? "/").split("?")[0]!;
    for (const route of routes) if (route(req, res, url)) return;
    res.writeHead(404).end();
  });
}

/** Webhook mode: Telegram's calls at `path`, and /healthz and /metrics. */
export function createHttpServer(opts: { bot: Bot<BotContext>; path: string; secret: string } & HealthSources): Server {
  const handleUpdate = webhookCallback(opts.bot, "http", { secretToken: opts.secret, onTimeout: "return", timeoutMilliseconds: 50_000 });
  const webhook: Handler = (req, res, url) => {
    if (req.method !== "POST" || url !== opts.path) return false;
    handleUpdate(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
    return true;
  };
  return serve([opsRoutes(opts), webhook]);
}

/** /healthz and /metrics alone (METRICS_PORT), for polling mode or a private address. */
export function createOpsServer(sources: HealthSources): Server {
  return serve([opsRoutes(sources)]);
}
