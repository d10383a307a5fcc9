import { types, type Schema, type Type } from 'avsc';
import { types as nodeTypes } from 'node:util';

/**
 * `timestamp-millis` as a JS Date. avsc leaves logical types as their underlying type unless a
 * class is registered, and encoding a Date into a plain long throws.
 */
export class TimestampMillisType extends types.LogicalType {
  protected override _fromValue(value: unknown): Date {
    return new Date(value as number);
  }

  protected override _toValue(value: unknown): number | undefined {
    // isDate, not instanceof: Dates from another realm (vm, structuredClone in jest) are Dates too.
    if (nodeTypes.isDate(value)) return value.getTime();
    // Returning undefined makes avsc report the value as invalid, with its path.
    return undefined;
  }

  protected override _resolve(type: Type): ((value: unknown) => unknown) | undefined {
    // A plain long (e.g. an older schema without the logical type) resolves to a Date too.
    if (type.typeName === 'long' || type.typeName === 'int' || type instanceof TimestampMillisType) {
      return (value: unknown) => this._fromValue(value);
    }
    return undefined;
  }
}

export const LOGICAL_TYPES: Record<string, new (schema: Schema, opts?: object) => types.LogicalType> = {
  'timestamp-millis': TimestampMillisType,
};
