/**
 * Node flags of the API process, wherever it is started (the run command, bench:core; the
 * Dockerfile and docker-compose.yml repeat them, as they cannot import this).
 *
 * `--max-semi-space-size=64` (MiB; V8's default is 16): the API holds every process summary
 * and task in memory (read-model/process-index.ts), about 350 MiB of old generation at 100,000
 * processes, and each young-generation collection also scans what that old generation points
 * into the young one. With the default, a collection ran every ~200 ms under load and took
 * 4–25 ms; with 64 MiB they come a few times less often, and the reads' median at 100,000
 * processes fell to that at 1,000 (docs/benchmarks.md).
 */
export const API_NODE_FLAGS = ['--max-semi-space-size=64'];
