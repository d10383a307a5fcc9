import type { DataObjectState } from '@medlineage/domain';
import {
  describeConsent,
  describeDataset,
  describeObject,
  formatAsOf,
  formatTimeline,
} from './format-timeline';
import type { TimelineEntry } from './timeline';

const entry = (o: Partial<TimelineEntry> = {}): TimelineEntry => ({
  position: { commit: 1n, prepare: 1n },
  streamName: 'object-o1',
  revision: 0n,
  eventId: 'e1',
  eventType: 'ObjectIngested',
  schemaVersion: { writer: 3, current: 3 },
  occurredAt: new Date('2026-11-20T09:00:00.000Z'),
  recordedAt: new Date('2026-11-20T09:00:00.000Z'),
  actor: { kind: 'service', id: 'svc-ingest' },
  purposeOfUse: null,
  correlationId: 'c1',
  causationId: null,
  producer: { name: 'p', version: '1' },
  node: { kind: 'object', id: 'o1' },
  depth: 0,
  via: null,
  summary: 'object o1 ingested',
  ...o,
});

describe('formatTimeline', () => {
  it('given entries, then one line each: time, indented type, actor, purpose, summary', () => {
    const text = formatTimeline([
      entry(),
      entry({
        eventType: 'DerivedObjectCreated',
        depth: 2,
        occurredAt: new Date('2026-11-20T09:59:00.000Z'),
        recordedAt: new Date('2026-11-20T10:00:00.000Z'),
        actor: { kind: 'user', id: 'staff-1' },
        purposeOfUse: 'HRESCH',
        via: {
          from: { kind: 'object', id: 'o1' },
          to: { kind: 'object', id: 'o2' },
          relation: 'derived',
          establishedAt: { commit: 2n, prepare: 2n },
        },
        summary: 'object o2 derived from o1',
      }),
    ]);
    expect(text.split('\n')).toEqual([
      '2026-11-20T09:00:00.000Z  ObjectIngested  service:svc-ingest  purpose -  object o1 ingested',
      '2026-11-20T10:00:00.000Z (occurred 2026-11-20T09:59:00.000Z)      DerivedObjectCreated [derived]  user:staff-1  purpose HRESCH  object o2 derived from o1',
    ]);
  });

  it('an empty timeline is empty text', () => {
    expect(formatTimeline([])).toBe('');
  });
});

describe('state descriptions', () => {
  it('describe absent, undefined and missing states plainly', () => {
    expect(describeObject({ status: 'absent' })).toBe('not known');
    expect(describeDataset({ status: 'undefined' })).toBe('not known');
    expect(describeConsent({ status: 'none' })).toBe('none recorded');
  });

  it('formatAsOf lists the state and the links', () => {
    const state: DataObjectState = {
      status: 'stored',
      object: {
        objectId: 'o1',
        origin: 'ingested',
        subjectIds: [],
        contentSha256: 'ab'.repeat(32),
        sizeBytes: 1,
        location: { zone: 'WARM', bucket: 'b', key: 'k', versionId: null },
        tier: 'WARM',
        activeHoldIds: ['h1'],
        deidentifiedAs: [],
        retention: null,
      },
    };
    const text = formatAsOf({
      kind: 'object',
      id: 'o1',
      at: new Date('2026-11-20T10:00:00.000Z'),
      state,
      lineage: [
        {
          from: { kind: 'object', id: 'o1' },
          to: { kind: 'object', id: 'o2' },
          relation: 'derived',
          establishedAt: { commit: 2n, prepare: 2n },
        },
      ],
    });
    expect(text.split('\n')).toEqual([
      'As of 2026-11-20T10:00:00.000Z (what the platform had recorded):',
      '  object o1: stored; ingested, tier WARM, holds h1',
      '  link derived: object o1 -> object o2',
    ]);
  });
});
