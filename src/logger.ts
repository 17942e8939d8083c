// Structured logs. Personal data never goes in: no message text, names, usernames or chat ids.
// Errors are reduced to name, message, stack and Telegram's error code, because grammY errors carry
// the request payload (with chat ids and text) that must not reach the log.
import { pino, type Logger } from "pino";

export type { Logger };

export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { error_code?: number; method?: string; error?: unknown };
  const out: Record<string, unknown> = { type: e.name, message: e.message, stack: e.stack };
  if (e.error_code !== undefined) out.code = e.error_code;
  if (e.method !== undefined) out.method = e.method;
  if (e.error !== undefined && e.error !== err) out.cause = serializeError(e.error);
  return out;
}

/** `instance` (INSTANCE_NAME) goes on every line, so the logs of several processes say which did what. */
export function createLogger(level: string, destination?: NodeJS.WritableStream, instance?: string): Logger {
  return pino(
    {
      level,
      base: instance ? { instance, pid: process.pid } : undefined,
      serializers: { err: serializeError },
      // Belt and braces: should someone log a context or update by mistake, these paths are hidden.
      redact: { paths: ["*.text", "*.from", "*.chat", "*.contact", "*.phone_number", "*.first_name", "*.last_name", "*.username", "payload"], censor: "[hidden]" },
    },
    destination as never,
  );
}
