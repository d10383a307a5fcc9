import Database from 'better-sqlite3';
import { createServer, type ServerResponse } from 'node:http';
import { decodeCursor, encodeCursor, physicalTable } from '@medlineage/read-models';

/*
 * The `api` bench's peer (child process): GET /v1/catalog as a bare node:http server — no Nest, no
 * Kysely, no validation — running the SQL searchCatalog runs, on the same read-model file through
 * better-sqlite3 (cached prepared statements), and answering the same JSON. It is the floor of
 * serving that query over HTTP in Node.
 *
 *   node -r @swc-node/register tools/bench/api-peer.ts <read-models.db>
 */

type Row = Record<string, string | number | null>;

const SORT_COLUMNS: Readonly<Record<string, string>> = {
  ingestedAt: 'ingested_at',
  updatedAt: 'updated_at',
  objectId: 'object_id',
};

/** Equality filters: query parameter → column. */
const EQUALS: readonly (readonly [string, string])[] = [
  ['subjectId', 'subject_id'],
  ['studyKey', 'study_key'],
  ['seriesKey', 'series_key'],
  ['site', 'site'],
  ['dataClass', 'data_class'],
  ['format', 'format'],
  ['modality', 'modality'],
  ['sensitivity', 'sensitivity'],
  ['tier', 'tier'],
];

const list = (text: string | null): string[] => (text === null ? [] : (JSON.parse(text) as string[]));

function entry(row: Row, now: string): unknown {
  const expires = row['consent_expires_at'] ?? null;
  return {
    objectId: row['object_id'],
    subjectId: row['subject_id'],
    studyKey: row['study_key'],
    seriesKey: row['series_key'],
    site: row['site'],
    status: row['status'],
    dataClass: row['data_class'],
    format: row['format'],
    modality: row['modality'],
    sensitivity: row['sensitivity'],
    phiBearing: row['phi_bearing'] === null ? null : row['phi_bearing'] === 1,
    tier: row['tier'],
    zone: row['zone'],
    bucket: row['bucket'],
    locationKey: row['location_key'],
    deidentified: row['deidentified'] === 1,
    deidentifiedCopyId: row['deidentified_copy_id'],
    derivedFrom: list(row['derived_from'] as string | null),
    activeLegalHolds: row['legal_holds'],
    retentionClass: row['retention_class'],
    retainUntil: row['retain_until'],
    retentionExpired: row['retention_expired'] === 1,
    sizeBytes: row['size_bytes'] === null ? null : Number(row['size_bytes']),
    residency: row['residency'],
    taxonomy: row['taxonomy'],
    consentStatus: row['consent_status'],
    consentExpiresAt: expires,
    eligibleUses: expires === null || (expires as string) > now ? list(row['eligible_uses'] as string) : [],
    ingestedAt: row['ingested_at'],
    updatedAt: row['updated_at'],
    lastPosition: row['last_position'],
  };
}

function main(): void {
  const [path] = process.argv.slice(2);
  if (path === undefined) throw new Error('usage: api-peer.ts <read-models.db>');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const active = db
    .prepare<[], { version: number }>(
      "SELECT version FROM projection_active_version WHERE projection = 'catalog'",
    )
    .get();
  if (active === undefined) throw new Error('no active catalog generation');
  const table = physicalTable('catalog_objects', active.version);
  const statements = new Map<string, Database.Statement<unknown[], Row>>();

  const search = (q: URLSearchParams): { items: unknown[]; nextCursor: string | null } => {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const status = q.get('status');
    if (status !== null) {
      const statuses = status.split(',');
      where.push(`"status" in (${statuses.map(() => '?').join(', ')})`);
      args.push(...statuses);
    }
    for (const [name, column] of EQUALS) {
      const value = q.get(name);
      if (value !== null) {
        where.push(`"${column}" = ?`);
        args.push(value);
      }
    }
    for (const [name, column] of [
      ['phiBearing', 'phi_bearing'],
      ['deidentified', 'deidentified'],
    ] as const) {
      const value = q.get(name);
      if (value !== null) {
        where.push(`"${column}" = ?`);
        args.push(value === 'true' ? 1 : 0);
      }
    }
    const held = q.get('underLegalHold');
    if (held !== null) where.push(`"legal_holds" ${held === 'true' ? '>' : '='} 0`);
    const now = new Date().toISOString();
    const eligibleFor = q.get('eligibleFor');
    if (eligibleFor !== null) {
      where.push(`"eligible_uses" like ?`, `("consent_expires_at" is null or "consent_expires_at" > ?)`);
      args.push(`%"${eligibleFor}"%`, now);
    }
    const from = q.get('ingestedFrom');
    if (from !== null) {
      where.push(`"ingested_at" >= ?`);
      args.push(new Date(from).toISOString());
    }
    const before = q.get('ingestedBefore');
    if (before !== null) {
      where.push(`"ingested_at" < ?`);
      args.push(new Date(before).toISOString());
    }
    const sort = q.get('sort') ?? 'ingestedAt';
    const column = SORT_COLUMNS[sort] ?? 'ingested_at';
    const direction = q.get('direction') === 'desc' ? 'desc' : 'asc';
    const op = direction === 'asc' ? '>' : '<';
    const cursor = q.get('cursor');
    if (cursor !== null) {
      const c = decodeCursor(cursor, ['s', 'd', 'v', 'id']);
      if (column === 'object_id') {
        where.push(`"object_id" ${op} ?`);
        args.push(c.id);
      } else {
        where.push(`("${column}", "object_id") ${op} (?, ?)`);
        args.push(c.v, c.id);
      }
    }
    const limit = Number(q.get('limit') ?? 50);
    const order =
      column === 'object_id'
        ? `"object_id" ${direction}`
        : `"${column}" ${direction}, "object_id" ${direction}`;
    const sql = `select * from "${table}"${where.length === 0 ? '' : ` where ${where.join(' and ')}`} order by ${order} limit ?`;
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare<unknown[], Row>(sql);
      statements.set(sql, statement);
    }
    const rows = statement.all(...args, limit + 1);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return {
      items: rows.slice(0, limit).map((row) => entry(row, now)),
      nextCursor:
        last === undefined
          ? null
          : encodeCursor({ s: sort, d: direction, v: String(last[column]), id: String(last['object_id']) }),
    };
  };

  const send = (response: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://peer');
    if (request.method !== 'GET' || url.pathname !== '/v1/catalog') {
      send(response, 404, { error: 'not_found', message: 'not found' });
      return;
    }
    try {
      send(response, 200, search(url.searchParams));
    } catch (error) {
      send(response, 500, { error: 'internal_error', message: String(error) });
    }
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    process.stdout.write(`peer: listening on http://127.0.0.1:${port}\n`);
  });
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
    db.close();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
