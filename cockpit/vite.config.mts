import path from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

/**
 * The Cockpit is built into dist/cockpit and served by the gateway under /cockpit. The "72"
 * fonts come from @sap-theming/theming-base-content (see src/fonts.css), never from a CDN.
 */
export default defineConfig({
  root: here,
  base: '/cockpit/',
  logLevel: 'warn',
  resolve: {
    alias: {
      '@fonts72': path.join(
        here,
        '..',
        'node_modules/@sap-theming/theming-base-content/content/Base/baseLib/baseTheme/fonts',
      ),
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: path.join(here, '..', 'dist', 'cockpit'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
    rolldownOptions: {
      onwarn(warning, warn) {
        // UI5's React wrappers start with 'use client', which means nothing in a browser bundle.
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
