import {
  isRetriableObjectStoreError,
  ObjectNotFoundError,
  ObjectStoreAccessDeniedError,
  ObjectStoreFatalError,
  ObjectStoreUnavailableError,
} from '@medlineage/object-store';
import { translateFsError } from './fs-errors';

const systemError = (code: string): Error =>
  Object.assign(new Error(`${code}: something, open '/data/DOE^JOHN.dcm'`), { code });

describe('translateFsError', () => {
  it.each(['ENOSPC', 'EDQUOT', 'EIO', 'EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY'])(
    '%s is retriable (space or descriptors can come back)',
    (code) => {
      const error = translateFsError(systemError(code), 'put to zone HOT');
      expect(error).toBeInstanceOf(ObjectStoreUnavailableError);
      expect(isRetriableObjectStoreError(error)).toBe(true);
      expect(error.message).toBe(`put to zone HOT: ${code}`);
    },
  );

  it.each(['EACCES', 'EPERM', 'EROFS'])('%s is access denied, not retriable', (code) => {
    const error = translateFsError(systemError(code), 'put to zone HOT');
    expect(error).toBeInstanceOf(ObjectStoreAccessDeniedError);
    expect(error.retriable).toBe(false);
  });

  it('anything else is fatal; the message carries the code, never the original message (paths)', () => {
    const error = translateFsError(systemError('EINVAL'), 'put to zone HOT');
    expect(error).toBeInstanceOf(ObjectStoreFatalError);
    expect(error.message).not.toContain('DOE');
    expect(translateFsError('weird', 'x')).toBeInstanceOf(ObjectStoreFatalError);
  });

  it('passes port errors through', () => {
    const notFound = new ObjectNotFoundError('HOT', 'sha256/00/00/' + '0'.repeat(64));
    expect(translateFsError(notFound, 'x')).toBe(notFound);
  });
});
