/**
 * Runs the real, built server (`node server/dist/main.js`) as a child process, the way `npm start` does, for
 * tests and benchmarks that must see it from outside: a real socket, a real data directory or PostgreSQL
 * database, and real process death (SIGKILL).
 */
import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const serverMain = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** Builds the workspaces once if there is no build yet (the server runs from server/dist). */
export function ensureBuilt(): void {
  if (!existsSync(serverMain)) execSync('npm run build', { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServerOptions {
  /** DATA_DIR (PGlite lives in DATA_DIR/pglite unless databaseUrl is given; uploads always live here). */
  dataDir: string;
  /** postgres://… to run on PostgreSQL; otherwise embedded PGlite. */
  databaseUrl?: string | undefined;
  port?: number;
  env?: Record<string, string>;
  /** Extra node flags before the script, e.g. ['--cpu-prof', '--cpu-prof-dir', dir]. */
  nodeArgs?: string[];
  /** How long to wait for /healthz. */
  startTimeoutMs?: number;
}

export interface ServerProcess {
  readonly baseUrl: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** The last part of what the server printed (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGKILL: the process dies at once, with requests in flight. Resolves when it is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  readonly exited: boolean;
}

const OUTPUT_KEEP = 20_000;

export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  ensureBuilt();
  const port = options.port ?? await freePort();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  // The server must not inherit the test runner's database or port.
  delete env.DATABASE_URL;
  delete env.PORT;
  delete env.NODE_OPTIONS;
  Object.assign(env, {
    PORT: String(port), HOST: '127.0.0.1', DATA_DIR: options.dataDir, DEMO_MODE: 'true', LOG_LEVEL: 'warn', NODE_ENV: 'production',
    // Benchmarks and crash tests write in bursts from one address; the limits have their own tests.
    RATE_LIMIT_WRITES_PER_IP_PER_MINUTE: '10000000', RATE_LIMIT_WRITES_PER_KEY_PER_MINUTE: '10000000',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  });
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), serverMain], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (chunk: Buffer) => { out = (out + chunk.toString()).slice(-OUTPUT_KEEP); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  const baseUrl = `http://127.0.0.1:${port}`;

  const handle: ServerProcess = {
    baseUrl, port, child,
    output: () => out,
    get exited() { return exited; },
    async kill(signal = 'SIGKILL') {
      if (!exited) child.kill(signal);
      await exit;
    },
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  while (true) {
    if (exited) throw new Error(`the server exited before it was healthy (code ${child.exitCode}, signal ${child.signalCode}):\n${out}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) { await res.arrayBuffer(); break; }
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await handle.kill();
      throw new Error(`the server was not healthy within ${options.startTimeoutMs ?? 90_000} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return handle;
}

/** A new, empty PostgreSQL database on the server of adminUrl; drop() removes it (forcing connections off). */
export async function createPostgresDatabase(adminUrl: string, prefix = 'shaar_x'): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try { await admin.query(`create database ${name}`); } finally { await admin.end(); }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      try { await a.query(`drop database if exists ${name} with (force)`); } finally { await a.end(); }
    },
  };
}

export interface StaffSession { headers: Record<string, string> }

/** Signs a demo staff member in over HTTP; the headers carry the session cookie and the CSRF token. */
export async function staffLogin(baseUrl: string, email: string, municipality = 'bishkek', password = 'shaar-demo-2026'): Promise<StaffSession> {
  const res = await fetch(`${baseUrl}/api/v1/auth/staff/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ municipality, email, password }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${text}`);
  const body = JSON.parse(text) as { token: string; csrfToken: string };
  return { headers: { cookie: `shaar_session=${body.token}`, 'x-csrf-token': body.csrfToken } };
}

/** A leaf category of the city's public directory, to file appeals under. */
export async function someCategoryId(baseUrl: string, municipality = 'bishkek'): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/m/${municipality}`);
  if (res.status !== 200) throw new Error(`GET /api/v1/m/${municipality}: ${res.status} ${await res.text()}`);
  const body = await res.json() as { categories: { id: string; parentId: string | null }[] };
  const leaf = body.categories.find((c) => c.parentId !== null) ?? body.categories[0];
  if (!leaf) throw new Error(`${municipality} has no categories`);
  return leaf.id;
}
