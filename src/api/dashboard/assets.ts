/**
 * The dashboard's static files, read once at start: the single-page app in `ui/` beside this file and the
 * few library files it imports, taken from the installed packages (pinned in package.json) so the pages
 * work offline, with no CDN and no build step. Only these names are ever served.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A file ready to send. */
export interface Asset {
  contentType: string;
  body: Buffer;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** URL path → [package, file inside the package]: what the import map in `ui/index.html` points at. */
const VENDOR_FILES: Record<string, [string, string]> = {
  '/vendor/preact.mjs': ['preact', 'dist/preact.mjs'],
  '/vendor/preact-hooks.mjs': ['preact', 'hooks/dist/hooks.mjs'],
  '/vendor/htm.mjs': ['htm', 'dist/htm.module.js'],
  '/vendor/uplot.mjs': ['uplot', 'dist/uPlot.esm.js'],
  '/vendor/uplot.css': ['uplot', 'dist/uPlot.min.css'],
};

const UI_DIR = join(dirname(fileURLToPath(import.meta.url)), 'ui');

/** The root directory of an installed package (the one whose package.json names it). */
function packageRoot(name: string): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(name));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === name) return dir;
    } catch {
      // no package.json at this level: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`dashboard: package ${name} is not installed`);
    dir = parent;
  }
}

function asset(file: string): Asset {
  return {
    contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    body: readFileSync(file),
  };
}

/** Every file under `dir`, as URL paths relative to `prefix`. */
function uiFiles(dir: string, prefix: string, out: Map<string, Asset>): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) uiFiles(path, `${prefix}${name}/`, out);
    else if (CONTENT_TYPES[extname(name)]) out.set(`${prefix}${name}`, asset(path));
  }
}

/** The served files by URL path (`/` is the app's page). */
export function loadAssets(): Map<string, Asset> {
  const out = new Map<string, Asset>();
  uiFiles(UI_DIR, '/', out);
  const index = out.get('/index.html');
  if (!index) throw new Error(`dashboard: ${UI_DIR}/index.html is missing`);
  out.set('/', index);
  for (const [path, [pkg, file]] of Object.entries(VENDOR_FILES))
    out.set(path, asset(join(packageRoot(pkg), file)));
  return out;
}
