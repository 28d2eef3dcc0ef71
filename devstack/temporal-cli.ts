import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../config';

/** The Temporal CLI usermod is tested with; newer tags refuse `go install` (replace directive). */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';

/** Git-ignored install folder. Go's module and build caches stay Go's own, so clones share them. */
export const localCliPath = join(projectRoot, '.tools', 'bin', 'temporal');

function versionOf(path: string): string | undefined {
  try {
    const out = execFileSync(path, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /temporal version (\S+)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* keep looking */
    }
  }
  return undefined;
}

/** TEMPORAL_CLI_PATH, else a pinned `temporal` on PATH, else the project build (built if missing). */
export async function ensureTemporalCli(log: (line: string) => void = console.log): Promise<string> {
  const configured = process.env.TEMPORAL_CLI_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`TEMPORAL_CLI_PATH points at ${configured}, which does not exist`);
    return configured;
  }
  const system = onPath('temporal');
  if (system && versionOf(system) === TEMPORAL_CLI_VERSION) return system;
  if (existsSync(localCliPath) && versionOf(localCliPath) === TEMPORAL_CLI_VERSION) return localCliPath;
  if (!onPath('go')) {
    throw new Error(
      `The Temporal CLI ${TEMPORAL_CLI_VERSION} is needed and Go is not installed to build it. Either install Go >= 1.25 ` +
        `(https://go.dev/doc/install) and run again, or install the Temporal CLI yourself and set TEMPORAL_CLI_PATH to it.`,
    );
  }
  log(
    `Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (first time only; a few minutes on 2 cores)...`,
  );
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      'go',
      [
        'install',
        '-ldflags',
        `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
        `${MODULE}@v${TEMPORAL_CLI_VERSION}`,
      ],
      {
        env: { ...process.env, GOBIN: join(projectRoot, '.tools', 'bin'), CGO_ENABLED: '0' },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`go install of the Temporal CLI exited with ${code}`)),
    );
  });
  log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s: ${localCliPath}`);
  return localCliPath;
}
