import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../config';

export const WEB_DIR = join(projectRoot, 'web');
export const WEB_DIST = join(WEB_DIR, 'dist');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), st.mtimeMs);
}

/** The build is missing, or older than a source file of the web app. */
export function webBuildIsStale(): boolean {
  const built = join(WEB_DIST, 'index.html');
  if (!existsSync(built)) return true;
  const sources = ['src', 'index.html', 'vite.config.mts', 'public'].map((p) => join(WEB_DIR, p)).filter(existsSync);
  return Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs;
}

/**
 * Builds the web app (`npm run build:web`) when its build is missing or stale, so the API can always serve
 * it. Vite runs in a child process: it is ESM-only and must not be loaded into the API's (or Jest's) module graph.
 */
export async function ensureWebBuild(log: (line: string) => void = () => {}): Promise<void> {
  if (!webBuildIsStale()) return;
  log('Building the web app (vite build web)...');
  await promisify(execFile)(
    process.execPath,
    [join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', WEB_DIR, '--logLevel', 'warn'],
    {
      cwd: projectRoot,
      // Always the production build: Jest runs with NODE_ENV=test, which would give React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
}
