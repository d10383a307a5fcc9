import type { DecodedEvent } from '../projection';

export const iso = (date: Date): string => date.toISOString();
export const isoOrNull = (date: Date | null): string | null => (date === null ? null : date.toISOString());
export const flag = (value: boolean): number => (value ? 1 : 0);

/** Position columns of a row last touched by `e`. */
export function positionColumns(e: DecodedEvent): {
  last_position: string;
  last_commit: string;
  last_prepare: string;
} {
  return {
    last_position: e.positionText,
    last_commit: String(e.position.commit),
    last_prepare: String(e.position.prepare),
  };
}

export function parseJsonList(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
