/**
 * Turns decoded data of `fromVersion` into the shape of `fromVersion + 1`, for changes Avro
 * schema resolution cannot express (a string that became an enum, a field split in two…).
 * Pure and total: it runs on every historical event during replays and rebuilds.
 */
export interface Upcaster {
  readonly eventType: string;
  readonly fromVersion: number;
  upcast(data: Record<string, unknown>): Record<string, unknown>;
}
