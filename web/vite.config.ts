import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

// The build goes to dist/, which web/embed.go embeds in the binary. public/
// holds dist/.gitkeep too, so emptying dist/ on each build keeps the folder
// that go:embed needs on a fresh clone.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    // `npm run dev` serves the app with hot reload and sends API calls to a
    // running `attain serve`; proxied requests keep Sec-Fetch-Site:
    // same-origin, so the server's CSRF check passes.
    proxy: {
      '/api': process.env.ATTAIN_URL ?? 'http://localhost:8080',
      '/healthz': process.env.ATTAIN_URL ?? 'http://localhost:8080',
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
})
