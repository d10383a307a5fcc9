export * from './minio-object-store';
export { parseEndpoint, type MinioObjectStoreOptions } from './minio-options';
