import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { VitePWA } from 'vite-plugin-pwa';

// One build for both shells (DESIGN §1). The service worker is our own (injectManifest) so that it
// can route navigations to the app shell, keep /api out of every cache, and let the kiosk decide
// when an update is applied (never mid-registration: registerType 'prompt', no skipWaiting).
export default defineConfig({
  plugins: [
    preact(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      manifest: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,wasm,webmanifest}'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  build: {
    target: 'es2022',
    manifest: true,
    sourcemap: true,
    rollupOptions: {
      output: {
        // Chunks named for their shell, so a reader of the network log (and the bundle test) can
        // see at once that the kiosk loads no office code.
        chunkFileNames: (chunk) => {
          const shell = /\/src\/(kiosk|office)\//.exec(chunk.facadeModuleId ?? '')?.[1];
          return shell ? `assets/${shell}-[hash].js` : 'assets/[name]-[hash].js';
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  worker: { format: 'es' },
});
