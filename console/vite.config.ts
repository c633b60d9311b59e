import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Served by the API at /console (api/console/static.ts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2_000 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
