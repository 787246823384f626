// A real CouchDB-compatible server for the team tests and the benchmark:
// pouchdb-server 4.2.0 (npm), in memory, on a free loopback port, in a temp
// directory of its own (it keeps its settings in ./config.json), set up by
// couchdb/setup.sh exactly as a team would set up CouchDB; and a TCP proxy
// in front of it that a test can cut off and restore, to make the server
// unreachable without losing what it holds (an in-memory server that is
// stopped forgets everything).
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ADMIN = { name: 'admin', password: 'admin-secret' };
/** The team's users: ana and carl are members, ben is a member with the role editor, eve is not a member. */
export const USERS = {
  ana: 'ana-secret',
  ben: 'ben-secret',
  carl: 'carl-secret',
  eve: 'eve-secret',
};

async function freePort() {
  const s = createServer();
  await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address();
  await new Promise((ok) => s.close(ok));
  return port;
}

/** Wait for `fn` to resolve truthy, trying every 50 ms for at most `ms`; fail saying `what`. */
async function until(what, fn, ms = 20000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try { if (await fn()) return; } catch (e) { last = e; }
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`gave up after ${ms / 1000} s waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

/** A TCP proxy to `port`: `cut()` drops every connection and refuses new ones, `restore()` lets them through again. */
async function proxy(port) {
  let open = true;
  const sockets = new Set();
  const server = createServer((client) => {
    if (!open) { client.destroy(); return; }
    const upstream = connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => { client.destroy(); upstream.destroy(); });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: server.address().port,
    cut() { open = false; for (const s of sockets) s.destroy(); },
    restore() { open = true; },
    close: () => new Promise((ok) => { for (const s of sockets) s.destroy(); server.close(ok); }),
  };
}

/**
 * Start pouchdb-server and set up database `db` with couchdb/setup.sh.
 * Resolves to { url (the server root), dbUrl and proxyDbUrl (the database,
 * directly and through the proxy), admin (fetch as the server admin),
 * proxy, stop() }.
 */
export async function startCouch({ db = 'team' } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'claimmark-couch-'));
  const port = await freePort();
  const child = spawn(join(process.cwd(), 'node_modules/.bin/pouchdb-server'),
    ['--in-memory', '--host', '127.0.0.1', '--port', String(port), '--config', join(dir, 'config.json')],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let exited = null;
  child.on('exit', (code) => { exited = code; });
  const url = `http://127.0.0.1:${port}`;
  await until('pouchdb-server to answer GET /', async () => {
    if (exited !== null) throw new Error(`pouchdb-server exited (${exited})`);
    return (await fetch(`${url}/`)).ok;
  });
  const r = await fetch(`${url}/_config/admins/${ADMIN.name}`, { method: 'PUT', body: JSON.stringify(ADMIN.password) });
  if (!r.ok) throw new Error(`making the admin: ${r.status}`);
  const auth = `Basic ${Buffer.from(`${ADMIN.name}:${ADMIN.password}`).toString('base64')}`;
  const admin = (path, init = {}) => fetch(`${url}${path}`, {
    ...init, headers: { authorization: auth, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  await promisify(execFile)('sh', ['couchdb/setup.sh'], {
    env: {
      ...process.env,
      COUCH: `http://${ADMIN.name}:${ADMIN.password}@127.0.0.1:${port}`,
      DB: db,
      APP_ORIGIN: '*',
      MEMBERS: `ana:${USERS.ana} ben:${USERS.ben}:editor carl:${USERS.carl}`,
    },
  });
  // eve has an account but is not a member.
  await admin('/_users/org.couchdb.user:eve', {
    method: 'PUT', body: JSON.stringify({ name: 'eve', password: USERS.eve, roles: [], type: 'user' }),
  });
  const p = await proxy(port);
  return {
    url,
    dbUrl: `${url}/${db}`,
    proxyDbUrl: `http://127.0.0.1:${p.port}/${db}`,
    admin,
    proxy: p,
    /** Fetch `path` of the database (or of `database`) as `user`. */
    as: (user, path, init = {}, database = db) => fetch(`${url}/${database}${path}`, {
      ...init,
      headers: {
        authorization: `Basic ${Buffer.from(`${user}:${USERS[user]}`).toString('base64')}`,
        'content-type': 'application/json', ...(init.headers ?? {}),
      },
    }),
    async stop() {
      await p.close();
      child.kill();
      await until('pouchdb-server to stop', () => exited !== null, 10000).catch(() => child.kill('SIGKILL'));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
