/**
 * A domain event as deciders see it: a stable `type` string (persisted; never a class name)
 * and its data. Envelope facts (who, when, why, which tool) travel in {@link EventMetadata}.
 */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** Who caused an event: a person (pseudonymous staff id) or a service identity. */
export interface Actor {
  readonly kind: 'user' | 'service';
  readonly id: string;
}

/**
 * HL7 v3 PurposeOfUse codes we accept (subset of 2.16.840.1.113883.1.11.20448), recorded with
 * every access so audit can answer "why".
 */
export const PURPOSES_OF_USE = [
  'TREAT',
  'HOPERAT',
  'HRESCH',
  'PUBHLTH',
  'HQUALIMP',
  'HPAYMT',
  'HLEGAL',
  'ETREAT',
  'PATRQT',
  'SYSADMIN',
] as const;
export type PurposeOfUse = (typeof PURPOSES_OF_USE)[number];

/** The tool that produced an event: name and exact version, so every derivation is reproducible. */
export interface Producer {
  readonly name: string;
  readonly version: string;
}

/** Where a message came from when an event was caused by a Kafka record (for dedup and audit). */
export interface SourceOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** Envelope carried by every stored event beside its data. */
export interface EventMetadata {
  readonly eventType: string;
  readonly schemaVersion: number;
  readonly occurredAt: Date;
  readonly recordedAt: Date;
  readonly actor: Actor;
  readonly purposeOfUse: PurposeOfUse | null;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly producer: Producer;
  readonly source: SourceOffset | null;
}
