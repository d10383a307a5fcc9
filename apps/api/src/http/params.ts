import { badRequest } from './errors';

/** A request's query string, restricted to the parameters an endpoint knows, each given once. */
export class QueryParams {
  private constructor(private readonly values: ReadonlyMap<string, string>) {}

  /** Rejects unknown parameters (naming them) and repeated or structured values. */
  static parse(query: unknown, allowed: readonly string[]): QueryParams {
    const values = new Map<string, string>();
    if (query === undefined || query === null) return new QueryParams(values);
    if (typeof query !== 'object') throw badRequest('query string is not valid');
    const entries = Object.entries(query);
    const unknown = entries.map(([name]) => name).filter((name) => !allowed.includes(name));
    if (unknown.length > 0) {
      throw badRequest(
        `unknown query parameter${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (allowed: ${allowed.join(', ')})`,
      );
    }
    for (const [name, value] of entries) {
      if (typeof value !== 'string') throw badRequest(`query parameter ${name} must be given once, as text`);
      values.set(name, value);
    }
    return new QueryParams(values);
  }

  string(name: string, maxLength = 200): string | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    if (value.length === 0 || value.length > maxLength) {
      throw badRequest(`${name} must be 1..${maxLength} characters`);
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    const match = allowed.find((a) => a === value);
    if (match === undefined) throw badRequest(`${name} must be one of ${allowed.join(', ')}`);
    return match;
  }

  /** Comma-separated values, each one of `allowed`. */
  listOf<T extends string>(name: string, allowed: readonly T[]): T[] | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    return value.split(',').map((item) => {
      const match = allowed.find((a) => a === item);
      if (match === undefined)
        throw badRequest(`${name} must be a comma-separated list of ${allowed.join(', ')}`);
      return match;
    });
  }

  boolean(name: string): boolean | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw badRequest(`${name} must be true or false`);
  }

  integer(name: string, min: number, max: number): number | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    const n = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max)
      throw badRequest(`${name} must be an integer in ${min}..${max}`);
    return n;
  }

  date(name: string): Date | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    return parseIsoDate(name, value);
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** A strict ISO-8601 date or date-time (with a zone when it has a time). */
export function parseIsoDate(name: string, value: string): Date {
  const date = ISO_DATE.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw badRequest(`${name} must be an ISO-8601 date or date-time with a zone (e.g. 2026-01-31T12:00:00Z)`);
  }
  return date;
}

/** Path ids: printable, no separators that could smuggle another resource. */
export function pathId(name: string, value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$/.test(value)) {
    throw badRequest(`${name} is not a valid id`);
  }
  return value;
}
