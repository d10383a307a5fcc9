import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { probe } from './probe';
import { waitFor } from './wait-for';

// Integration tier: real sockets and a child process.
describe('probe', () => {
  let server: Server;
  let port = 0;
  let dir = '';
  let dockerLike: ChildProcess | undefined;

  beforeAll(async () => {
    server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;

    // probe() blocks this process while it waits for its child, so a server that has to answer (the
    // Docker /_ping) must run in another process.
    dir = mkdtempSync(join(tmpdir(), 'probe-'));
    const socketPath = join(dir, 'docker.sock');
    const child = spawn(
      process.execPath,
      [
        '-e',
        `require('node:net').createServer((s) => s.once('data', () => s.end('HTTP/1.0 200 OK\\r\\n\\r\\nOK')))` +
          `.listen(process.argv[1], () => process.stdout.write('listening'))`,
        socketPath,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    dockerLike = child;
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await waitFor(() => out.includes('listening'), {
      timeoutMs: 10_000,
      description: 'the fake Docker socket',
    });
  }, 20_000);

  afterAll(async () => {
    dockerLike?.kill();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('tells listening addresses from closed ones', () => {
    const closed = 1; // tcpmux: nothing listens there on our machines
    expect(
      probe([
        { host: '127.0.0.1', port },
        { host: '127.0.0.1', port: closed },
      ]),
    ).toEqual([true, false]);
  }, 10_000);

  it('with ping, needs a Docker-style "OK" answer, not just a connection', () => {
    expect(probe([{ path: join(dir, 'docker.sock'), ping: true }])).toEqual([true]);
    // Connected, but no "OK" comes back (this process cannot serve while probe() blocks it): not Docker.
    expect(probe([{ host: '127.0.0.1', port, ping: true }])).toEqual([false]);
  }, 10_000);
});
