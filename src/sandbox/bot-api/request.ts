// Reading a Bot API call the way Telegram does: JSON, URL-encoded or multipart/form-data (uploads),
// in the body or the query string. Multipart is parsed on bytes, so photos and files arrive intact.
import type { IncomingMessage } from "node:http";

export interface Upload { filename: string; mime: string; bytes: Buffer }
export interface Call { params: Record<string, unknown>; uploads: Map<string, Upload> }

/** Values that are objects in the Bot API but arrive as JSON strings in forms. */
const JSON_FIELDS = new Set(["reply_markup", "reply_parameters", "entities", "caption_entities", "commands", "scope", "allowed_updates", "link_preview_options", "media", "message_ids"]);

const LIMIT = 60 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > LIMIT) throw new Error("Request Entity Too Large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readCall(req: IncomingMessage, url: URL): Promise<Call> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const uploads = new Map<string, Upload>();
  const type = String(req.headers["content-type"] ?? "");
  const body = await readBody(req);
  if (body.length && type.includes("application/json")) Object.assign(params, JSON.parse(body.toString("utf8")));
  else if (body.length && type.includes("application/x-www-form-urlencoded")) Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString("utf8"))));
  else if (type.includes("multipart/form-data")) {
    for (const part of parseMultipart(body, type)) {
      if (part.filename !== undefined) uploads.set(part.name, { filename: part.filename, mime: part.mime, bytes: part.body });
      else params[part.name] = part.body.toString("utf8");
    }
  }
  for (const key of Object.keys(params)) {
    const v = params[key];
    if (typeof v === "string" && JSON_FIELDS.has(key)) {
      try {
        params[key] = JSON.parse(v);
      } catch {
        /* left as text: the method reports it */
      }
    }
  }
  return { params, uploads };
}

interface Part { name: string; filename?: string; mime: string; body: Buffer }

/** multipart/form-data as RFC 7578 frames it, on raw bytes. */
export function parseMultipart(body: Buffer, contentType: string): Part[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) throw new Error("multipart body without a boundary");
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]!.trim()}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const chunk = body.subarray(start + 2, next - 2); // after CRLF, before the CRLF that precedes the delimiter
    const split = chunk.indexOf("\r\n\r\n");
    const head = chunk.subarray(0, split).toString("utf8");
    // Quoted or not (grammY writes filename=x without quotes, up to the end of the line).
    const attr = (key: string) => {
      const m = new RegExp(`;\\s*${key}=(?:"([^"]*)"|([^;\r\n]*))`, "i").exec(head);
      return m ? (m[1] ?? m[2]!.trim()) : undefined;
    };
    const filename = attr("filename");
    const given = /content-type:\s*([^\r\n;]+)/i.exec(head)?.[1]?.trim();
    const mime = given && given !== "application/octet-stream" ? given : mimeOf(filename ?? "");
    parts.push({ name: attr("name") ?? "", filename, mime, body: chunk.subarray(split + 4) });
    at = next;
  }
  return parts;
}

const MIME: Record<string, string> = { json: "application/json", ics: "text/calendar", png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp", pdf: "application/pdf", txt: "text/plain", csv: "text/csv", xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ogg: "audio/ogg", mp3: "audio/mpeg", mp4: "video/mp4" };

/** A file's type from its name, where the sender said only "octet-stream". */
export function mimeOf(filename: string): string {
  return MIME[/\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? ""] ?? "application/octet-stream";
}
