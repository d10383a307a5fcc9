import { sampleLegacyData } from './testing/sample-events';
import { EVENT_UPCASTERS, findUpcaster, residencyFromLegacyText } from './upcasters';
import { CURRENT_SCHEMA_VERSION } from './event-catalogue';
import { RESIDENCY_REGIONS } from './common/vocabularies';

describe('upcasters', () => {
  it('has one upcaster per step, each to a version that exists', () => {
    const keys = EVENT_UPCASTERS.map((u) => `${u.eventType}@${u.fromVersion}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const u of EVENT_UPCASTERS) {
      expect(u.fromVersion).toBeGreaterThanOrEqual(1);
      expect(u.fromVersion).toBeLessThan(CURRENT_SCHEMA_VERSION[u.eventType]);
    }
  });

  describe('ObjectClassified v1 → v2 (free-text residency → ResidencyRegion)', () => {
    const upcaster = findUpcaster('ObjectClassified', 1);

    it('is registered', () => {
      expect(upcaster).toBeDefined();
    });

    it('maps the legacy sample and keeps every other field as is', () => {
      const legacy = sampleLegacyData().find((l) => l.eventType === 'ObjectClassified' && l.version === 1);
      if (legacy === undefined || upcaster === undefined) throw new Error('fixture missing');
      const upcast = upcaster.upcast(legacy.data);
      expect(upcast).toEqual({ ...legacy.data, residency: 'UK' });
      expect(legacy.data['residency']).toBe('eu-west-2'); // input untouched
    });

    it.each([
      ['eu-west-1', 'EU'],
      ['eu-central-1', 'EU'],
      ['europe-west1', 'EU'],
      ['westeurope', 'EU'],
      ['DE', 'EU'],
      [' fr ', 'EU'],
      ['EU', 'EU'],
      ['eu-west-2', 'UK'],
      ['europe-west2', 'UK'],
      ['uksouth', 'UK'],
      ['GB', 'UK'],
      ['uk', 'UK'],
      ['eu-central-2', 'CH'],
      ['CH', 'CH'],
      ['us-east-1', 'US'],
      ['us-gov-west-1', 'US'],
      ['us-central1', 'US'],
      ['ca-central-1', 'CA'],
      ['ap-southeast-2', 'AU'],
      ['ap-northeast-1', 'UNKNOWN'],
      ['', 'UNKNOWN'],
      ['Germany', 'UNKNOWN'],
    ] as const)('maps %j to %s', (text, region) => {
      expect(residencyFromLegacyText(text)).toBe(region);
    });

    it('always yields a known enum symbol', () => {
      for (const text of ['x', '🙂', 'eu-', 'us-east-', '123']) {
        expect(RESIDENCY_REGIONS).toContain(residencyFromLegacyText(text));
      }
    });

    it('refuses data whose residency is not text', () => {
      expect(() => upcaster?.upcast({ residency: 7 })).toThrow(TypeError);
    });
  });

  it('has no upcaster for the Avro-resolvable steps', () => {
    expect(findUpcaster('ObjectIngested', 1)).toBeUndefined();
    expect(findUpcaster('ObjectIngested', 2)).toBeUndefined();
    expect(findUpcaster('ObjectAccessed', 1)).toBeUndefined();
    expect(findUpcaster('SubjectConsentRecorded', 1)).toBeUndefined();
  });
});
