import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Benchmarks are run by `npm run bench`, never as tests.
    exclude: ["test/bench/**", "node_modules/**"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Loopback only: tests talk to 127.0.0.1 (emulator, stub servers, local PostgreSQL).
    env: { LOG_LEVEL: "silent" },
  },
});
