// Builds the web app into web/dist, which the server serves at `/`. No React plugin: Vite 7
// compiles TSX with esbuild's automatic JSX runtime, which is all the app needs.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The server gives files under assets/ a year-long cache: their names carry a content hash.
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `npx vite web` during development: the API calls go to a Modelmart on port 8080.
    proxy: { '/v1': 'http://127.0.0.1:8080', '/admin': 'http://127.0.0.1:8080', '/store': 'http://127.0.0.1:8080' },
  },
});
