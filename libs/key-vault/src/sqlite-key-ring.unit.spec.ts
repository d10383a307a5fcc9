import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEnvelope, sealEnvelope } from '@medlineage/kernel';
import { SqliteSubjectKeyRing } from './sqlite-key-ring';

describe('SqliteSubjectKeyRing', () => {
  let dir: string;
  const kek = Buffer.alloc(32, 9);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'medlineage-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives each subject one stable key that seals and opens envelopes, across instances', async () => {
    const path = join(dir, 'keys.db');
    const ring = new SqliteSubjectKeyRing(path, kek);
    const a = await ring.keyFor('subA');
    expect(await ring.keyFor('subA')).toEqual(a);
    expect((await ring.keyFor('subB')).material.equals(a.material)).toBe(false);
    const env = sealEnvelope(a, { patientName: 'ZZCANARY^PATIENT' }, 'subA:identity', Buffer.alloc(12, 1));
    await ring.close();

    const again = new SqliteSubjectKeyRing(path, kek);
    const material = await again.material(env.keyId);
    expect(material && openEnvelope(env, material)).toEqual({ patientName: 'ZZCANARY^PATIENT' });
    await again.close();
  });

  it('stores only wrapped keys, useless without the key encryption key', async () => {
    const path = join(dir, 'keys.db');
    const ring = new SqliteSubjectKeyRing(path, kek);
    const key = await ring.keyFor('subA');
    await ring.close();
    expect(readFileSync(path).includes(key.material)).toBe(false);
    const wrongKek = new SqliteSubjectKeyRing(path, Buffer.alloc(32, 1));
    await expect(wrongKek.material(key.keyId)).rejects.toThrow();
    await wrongKek.close();
  });

  it('crypto-shreds: after destroy the envelope can never be opened again', async () => {
    const ring = new SqliteSubjectKeyRing(join(dir, 'keys.db'), kek);
    const key = await ring.keyFor('subA');
    await ring.destroy('subA');
    await ring.destroy('subA');
    expect(await ring.material(key.keyId)).toBeNull();
    await ring.close();
  });
});
