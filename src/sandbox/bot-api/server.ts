// A small Bot API server of our own on loopback (plain node:http): /bot<token>/<method> and
// /file/bot<token>/<path>, with Telegram's JSON ({ok, result} / {ok:false, error_code, description}).
// The sandbox mounts it beside its chat page; the end-to-end tests run it alone.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readCall } from "./request.js";
import { methods } from "./methods.js";
import { ApiError, BotApiState, type TgUser } from "./state.js";

export { ApiError, BotApiState };
export type { Change, Entry, Outgoing, TgUser } from "./state.js";

const TOKEN = /^(\d+):[A-Za-z0-9_-]+$/;

export class BotApi {
  readonly state = new BotApiState();
  private readonly methods = methods(this.state);

  constructor(private readonly bot: { first_name: string; username: string } = { first_name: "Sandbox bot", username: "sandbox_bot" }) {}

  /** Answers a Bot API request; false when the path is not the Bot API's (someone else serves it). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? "/", "http://localhost");
    const call = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (!call && !download) return false;
    const token = TOKEN.exec(decodeURIComponent((call ?? download)![1]!));
    if (!token) {
      reply(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
      return true;
    }
    const bot: TgUser = { id: Number(token[1]), is_bot: true, ...this.bot };
    if (download) {
      const file = [...this.state.files.values()].find((f) => f.file_path === decodeURIComponent(download[2]!));
      if (!file) reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      else res.writeHead(200, { "content-type": file.mime, "content-length": file.bytes.length }).end(file.bytes);
      return true;
    }
    const method = this.methods[call![2]!.toLowerCase()];
    if (!method) {
      reply(res, 404, { ok: false, error_code: 404, description: "Not Found: method not found" });
      return true;
    }
    const gone = new Promise<void>((resolve) => res.on("close", () => resolve()));
    readCall(req, url)
      .then((c) => method(c, { bot, gone }))
      .then(
        (result) => reply(res, 200, { ok: true, result }),
        (err: unknown) => {
          if (err instanceof ApiError) reply(res, err.code, { ok: false, error_code: err.code, description: err.message, ...(err.parameters ? { parameters: err.parameters } : {}) });
          else reply(res, 400, { ok: false, error_code: 400, description: `Bad Request: ${err instanceof Error ? err.message : String(err)}` });
        },
      );
    return true;
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** A Bot API server alone on a loopback port (the tests' Telegram). */
export async function startBotApiServer(port = 0): Promise<{ api: BotApi; apiRoot: string; server: Server; stop: () => Promise<void> }> {
  const api = new BotApi();
  const server = createServer((req, res) => {
    if (!api.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    api,
    apiRoot,
    server,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
