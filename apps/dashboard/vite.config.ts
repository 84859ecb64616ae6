import { defineConfig } from 'vite';

// Built to static files (dist/) that the gateway serves at `/`; in development `vite` proxies the
// API and the WebSocket to a gateway on :8080.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', ws: true },
      '/oauth': 'http://127.0.0.1:8080',
      '/admin': 'http://127.0.0.1:8080',
      '/queues': 'http://127.0.0.1:8080',
    },
  },
});
