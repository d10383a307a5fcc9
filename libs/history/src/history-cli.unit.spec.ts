import { parseHistoryArgs } from './history-cli';

describe('parseHistoryArgs', () => {
  it('takes an id, with optional kind, as-of and direct, in any order and either option form', () => {
    expect(parseHistoryArgs(['ds-1'])).toEqual({ id: 'ds-1', kind: null, asOf: null, direct: false });
    expect(parseHistoryArgs(['--as-of', '2026-11-20T09:15:00Z', 'o-1', '--kind=object', '--direct'])).toEqual(
      {
        id: 'o-1',
        kind: 'object',
        asOf: new Date('2026-11-20T09:15:00.000Z'),
        direct: true,
      },
    );
    expect(parseHistoryArgs(['s', '--as-of=2026-11-20'])).toMatchObject({
      asOf: new Date('2026-11-20T00:00:00.000Z'),
    });
    expect(parseHistoryArgs(['s', '--as-of', '2026-11-20T10:15:00+01:00'])).toMatchObject({
      asOf: new Date('2026-11-20T09:15:00.000Z'),
    });
  });

  it.each([
    [[], 'an id is required'],
    [['a', 'b'], 'only one id'],
    [['a', '--kind', 'planet'], '--kind must be one of object, dataset, study, subject'],
    [['a', '--kind'], '--kind must be one of object, dataset, study, subject'],
    [['a', '--as-of', 'yesterday'], '--as-of needs an ISO-8601 instant, e.g. 2026-11-20T09:15:00Z'],
    [['a', '--as-of', '2026-13-45'], '--as-of needs an ISO-8601 instant, e.g. 2026-11-20T09:15:00Z'],
    [['a', '--verbose'], 'unknown option --verbose'],
    [['--help'], ''],
  ])('%j is refused with %j', (argv, message) => {
    expect(parseHistoryArgs(argv)).toBe(message);
  });
});
