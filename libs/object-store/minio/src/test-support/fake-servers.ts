import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';

export interface FakeServer {
  readonly url: string;
  /** TCP connections accepted so far: the "spy" proving whether a call reached the network. */
  connections(): number;
  /** HTTP requests received (for the HTTP fakes). */
  requests(): number;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

/**
 * Accepts connections and never answers: a hung or blackholed server. With `closeImmediately`,
 * closes each connection as soon as it is accepted instead (a server that resets).
 */
export async function silentServer(options: { closeImmediately?: boolean } = {}): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createTcpServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    if (options.closeImmediately === true) socket.destroy();
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    requests: () => 0,
    close: closer(server, sockets),
  };
}

/** Answers every request with this S3 error status and code (SlowDown, InternalError...). */
export async function s3ErrorServer(status: number, code: string): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let requests = 0;
  const server = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
    requests++;
    request.resume();
    const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>fake</Message></Error>`;
    response.writeHead(status, {
      'Content-Type': 'application/xml',
      'Content-Length': Buffer.byteLength(body),
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    requests: () => requests,
    close: closer(server, sockets),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
