import { dataObjectStreamName, datasetStreamName, subjectConsentStreamName } from '@medlineage/domain';
import type { EventCodec } from '@medlineage/event-codec';
import type { EventStore } from '@medlineage/event-store';
import { formatAsOf, formatTimeline } from './format-timeline';
import { HistoryService } from './history-service';
import type { HistoryLinkIndex } from './link-index';
import { HISTORY_ENTITY_KINDS, type HistoryEntity, type HistoryEntityKind } from './timeline';

export interface HistoryCliDeps {
  readonly store: EventStore;
  readonly codec: EventCodec;
  readonly out: { write(text: string): unknown };
  /** Usage and lookup errors. @defaultValue `out` */
  readonly err?: { write(text: string): unknown };
  readonly index?: HistoryLinkIndex;
}

export const HISTORY_USAGE =
  'usage: history <id> [--kind object|dataset|study|subject] [--as-of <ISO-8601>] [--direct]\n' +
  '  Without --kind, the id is looked up as a dataset, then an object, then a subject.\n' +
  '  --as-of  only what the platform had recorded by then, and the state at that instant\n' +
  '  --direct the entity only, without linked objects, models and consents\n';

const isKind = (value: string): value is HistoryEntityKind =>
  (HISTORY_ENTITY_KINDS as readonly string[]).includes(value);

const AS_OF_ERROR = '--as-of needs an ISO-8601 instant, e.g. 2026-11-20T09:15:00Z';

export interface HistoryCliArgs {
  readonly id: string;
  readonly kind: HistoryEntityKind | null;
  readonly asOf: Date | null;
  readonly direct: boolean;
}

/** Parses `<id> [--kind K] [--as-of T] [--direct]` (also `--kind=K`, `--as-of=T`); a string is a usage error. */
export function parseHistoryArgs(argv: readonly string[]): HistoryCliArgs | string {
  let id: string | null = null;
  let kind: HistoryEntityKind | null = null;
  let asOf: Date | null = null;
  let direct = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const value = (): string | null => (eq < 0 ? (argv[++i] ?? null) : arg.slice(eq + 1));
    if (name === '--kind') {
      const k = value();
      if (k === null || !isKind(k)) return `--kind must be one of ${HISTORY_ENTITY_KINDS.join(', ')}`;
      kind = k;
    } else if (name === '--as-of') {
      const t = value();
      // ISO-8601 with a date; a bare date means its start in UTC.
      if (t === null || !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) {
        return AS_OF_ERROR;
      }
      const parsed = new Date(t);
      if (Number.isNaN(parsed.getTime())) return AS_OF_ERROR;
      asOf = parsed;
    } else if (name === '--direct') {
      direct = true;
    } else if (name === '--help' || name === '-h') {
      return '';
    } else if (arg.startsWith('-')) {
      return `unknown option ${name}`;
    } else if (id === null) {
      id = arg;
    } else {
      return 'only one id';
    }
  }
  if (id === null || id.length === 0) return 'an id is required';
  return { id, kind, asOf, direct };
}

/**
 * `history <id> [--kind object|dataset|study|subject] [--as-of T] [--direct]`: prints the timeline
 * (and, with --as-of, the state at T). Without --kind, the id is looked up as a dataset, then an
 * object, then a subject (a study has no stream: pass --kind study). Returns the exit code: 0 done,
 * 1 nothing found, 2 usage.
 */
export async function runHistoryCli(argv: readonly string[], deps: HistoryCliDeps): Promise<number> {
  const err = deps.err ?? deps.out;
  const args = parseHistoryArgs(argv);
  if (typeof args === 'string') {
    err.write(args === '' ? HISTORY_USAGE : `${args}\n${HISTORY_USAGE}`);
    return args === '' ? 0 : 2;
  }
  const kind = args.kind ?? (await detectKind(deps.store, args.id));
  if (kind === null) {
    err.write(`no dataset, object or subject with id ${args.id}; pass --kind study for a study key\n`);
    return 1;
  }
  const entity: HistoryEntity = { kind, id: args.id };
  const service = new HistoryService(
    deps.store,
    deps.codec,
    deps.index === undefined ? {} : { index: deps.index },
  );
  const entries = await service.timeline(entity, {
    ...(args.asOf === null ? {} : { asOf: args.asOf }),
    includeLinked: !args.direct,
  });
  deps.out.write(
    `History of ${kind} ${args.id}${args.asOf === null ? '' : ` as of ${args.asOf.toISOString()}`}: ${entries.length} events\n`,
  );
  if (entries.length > 0) deps.out.write(`${formatTimeline(entries)}\n`);
  if (args.asOf !== null) deps.out.write(`${formatAsOf(await service.asOf(entity, args.asOf))}\n`);
  return 0;
}

async function detectKind(store: EventStore, id: string): Promise<HistoryEntityKind | null> {
  const candidates: readonly [HistoryEntityKind, (id: string) => string][] = [
    ['dataset', datasetStreamName],
    ['object', dataObjectStreamName],
    ['subject', subjectConsentStreamName],
  ];
  for (const [kind, stream] of candidates) {
    if ((await store.streamRevision(stream(id))) !== null) return kind;
  }
  return null;
}
