import { ALL_EVENT_TYPES } from '@medlineage/domain';
import { SAMPLE_IDS, sampleEvent, sampleEvents } from '@medlineage/domain/testing';
import { summarizeEvent } from './summarize';

describe('summarizeEvent', () => {
  it('summarises every event type of the catalogue', () => {
    const types = sampleEvents().map((e) => e.type);
    expect(new Set(types)).toEqual(new Set(ALL_EVENT_TYPES));
  });

  it.each(sampleEvents().map((e) => [e.type, e] as const))(
    '%s: one line of ids, codes and counts, no free text or sealed content',
    (_type, event) => {
      const summary = summarizeEvent(event);
      expect(summary).toMatch(/^[A-Za-z0-9 ._,:;()@>/+-]+$/);
      expect(summary).not.toContain('\n');
      const data: Record<string, unknown> = { ...event.data };
      for (const field of ['detail', 'note', 'reason', 'description', 'matterRef', 'title', 'codeRef']) {
        const value = data[field];
        // Codes from fixed vocabularies (e.g. a tier change's reason) are fine; free text is not.
        if (typeof value === 'string' && !/^[A-Z][A-Z0-9_]*$/.test(value))
          expect(summary).not.toContain(value);
      }
    },
  );

  it('names the object, its subject and study, but not its sealed name or identity', () => {
    const ingested = sampleEvent('ObjectIngested');
    const summary = summarizeEvent(ingested);
    expect(summary).toContain(SAMPLE_IDS.objectId);
    expect(summary).toContain(SAMPLE_IDS.subjectId);
    expect(summary).toContain('identity sealed');
    expect(summary).not.toContain(ingested.data.originalName?.hmacSha256 ?? 'no-hash');
    expect(summary).not.toContain(ingested.data.location.key);
  });

  it('gives the reasons and classes an investigator looks for', () => {
    expect(summarizeEvent(sampleEvent('ObjectDeidentified'))).toContain(
      `de-identified as ${SAMPLE_IDS.derivedObjectId}`,
    );
    expect(summarizeEvent(sampleEvent('DatasetVersionInvalidated'))).toContain(
      sampleEvent('DatasetVersionInvalidated').data.reasonCode,
    );
    expect(summarizeEvent(sampleEvent('ObjectClassified'))).toContain('classified IMAGING');
  });
});
