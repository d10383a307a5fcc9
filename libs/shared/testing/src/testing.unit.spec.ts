import { parseInfraEnv } from './infra-env';
import { uniqueName } from './unique-name';
import { waitFor } from './wait-for';

describe('parseInfraEnv', () => {
  it('reads export lines and plain assignments, skips comments, strips quotes, expands nothing', () => {
    const text = [
      '# Written by tools/infra-up.sh',
      'export KAFKA_BROKERS=127.0.0.1:9092',
      '',
      "export MINIO_SECRET_KEY='medlineage-secret'",
      'DATABASE_URL="postgres://u:p@127.0.0.1:55432/db"',
      'export NOT_EXPANDED=$HOME/x',
      'this line is not an assignment',
    ].join('\n');
    expect(parseInfraEnv(text)).toEqual({
      KAFKA_BROKERS: '127.0.0.1:9092',
      MINIO_SECRET_KEY: 'medlineage-secret',
      DATABASE_URL: 'postgres://u:p@127.0.0.1:55432/db',
      NOT_EXPANDED: '$HOME/x',
    });
  });
});

describe('uniqueName', () => {
  it('is unique, lower case and at most 63 characters (valid for topics, buckets and SQL names)', () => {
    const names = new Set(Array.from({ length: 1000 }, () => uniqueName('smoke')));
    expect(names.size).toBe(1000);
    for (const name of names) {
      expect(name).toMatch(/^smoke-[a-z0-9]+-[0-9a-f]{12}$/);
    }
    expect(uniqueName('a'.repeat(100)).length).toBeLessThanOrEqual(63);
  });

  it('uses the separator asked for, also inside the prefix', () => {
    expect(uniqueName('read-model', { separator: '_' })).toMatch(/^read_model_[a-z0-9]+_[0-9a-f]{12}$/);
  });

  it('rejects prefixes that some store would refuse', () => {
    expect(() => uniqueName('Upper')).toThrow(/prefix/);
    expect(() => uniqueName('has space')).toThrow(/prefix/);
    expect(() => uniqueName('')).toThrow(/prefix/);
  });
});

describe('waitFor', () => {
  it('resolves with the first value that is not false, null or undefined', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 1 });
    expect(value).toEqual({ calls: 3 });
  });

  it('treats a throwing condition as "not yet" and reports its last error on timeout', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('broker not ready');
        },
        { timeoutMs: 30, intervalMs: 5, description: 'the broker' },
      ),
    ).rejects.toThrow(/timed out after 30 ms waiting for the broker; last error: broker not ready/);
  });
});
