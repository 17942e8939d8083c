// A Bot API on a loopback port, in its own process (so its work does not share the bot's core), for
// test/bench/reports.ts: answers 429 above LIMIT messages a second (a token bucket holding at most
// half a second of burst); edits of the progress message are not counted as messages.
// Prints its port; GET /__stats answers what it saw.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const limit = Number(process.argv[2] ?? 30);
const capacity = limit / 2;
let tokens = capacity;
let last = performance.now();
const stats = { sent: 0, refused: 0, edits: 0, chats: new Set<string>() };

const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const reply = (code: number, obj: unknown) => {
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(obj));
    };
    if (req.url === "/__stats") return reply(200, { sent: stats.sent, refused: stats.refused, edits: stats.edits, chats: stats.chats.size });
    const method = req.url!.split("/").pop()!;
    const payload = JSON.parse(body || "{}") as Record<string, unknown>;
    const now = performance.now();
    tokens = Math.min(capacity, tokens + ((now - last) / 1000) * limit);
    last = now;
    if (method === "editMessageText") {
      stats.edits++;
      return reply(200, { ok: true, result: true });
    }
    if (tokens < 1) {
      stats.refused++;
      return reply(429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    }
    tokens -= 1;
    stats.sent++;
    stats.chats.add(String(payload.chat_id));
    reply(200, { ok: true, result: { message_id: stats.sent, date: 0, chat: { id: payload.chat_id, type: "private" } } });
  });
});
server.listen(0, "127.0.0.1", () => console.log((server.address() as AddressInfo).port));
