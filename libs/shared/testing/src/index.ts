export {
  describeWithEventStore,
  describeWithKafka,
  describeWithMinio,
  describeWithPostgres,
  describeWithServices,
  type EndpointSource,
  type Endpoints,
  type EventStoreEndpoint,
  type KafkaEndpoint,
  type MinioEndpoint,
  type PostgresEndpoint,
  type ServiceKey,
} from './infra';
export { infraEnvPath, parseInfraEnv, readInfraEnv, type InfraEnvFile } from './infra-env';
export { IMAGES } from './containers';
export { uniqueName, type UniqueNameOptions } from './unique-name';
export { waitFor, type WaitForOptions } from './wait-for';
