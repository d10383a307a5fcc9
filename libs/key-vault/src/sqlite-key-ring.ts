import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { subjectKeyId, type SubjectKey, type SubjectKeyRing } from './subject-key-ring';

/** A row of `subject_keys` as the key lookups read it. */
interface SubjectKeyRow {
  readonly key_id: string;
  readonly wrapped: Buffer;
}

/**
 * Embedded key ring: one SQLite file holding every subject key WRAPPED (AES-256-GCM) under a key
 * encryption key that lives elsewhere (configuration / a KMS in production). A copy of the file
 * alone reveals nothing. Destroying a subject deletes its wrapped key row; SQLite's
 * `secure_delete` overwrites the freed page content so the bytes do not linger in the file.
 */
export class SqliteSubjectKeyRing implements SubjectKeyRing {
  private readonly db: Db;
  // Prepared once: keyFor runs for every ingested object.
  private readonly selectBySubject: Statement<[string], SubjectKeyRow>;
  private readonly selectByKeyId: Statement<[string], { wrapped: Buffer }>;
  private readonly insertIfAbsent: Statement<[string, string, Buffer, number]>;
  private readonly deleteBySubject: Statement<[string]>;

  constructor(
    path: string,
    private readonly kek: Buffer,
  ) {
    if (kek.length !== 32) throw new RangeError('the key encryption key must be 32 bytes');
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS subject_keys (
      subject_id TEXT PRIMARY KEY,
      key_id TEXT NOT NULL UNIQUE,
      wrapped BLOB NOT NULL,      -- iv (12) | tag (16) | ciphertext (32)
      created_at INTEGER NOT NULL
    ) STRICT`);
    this.selectBySubject = this.db.prepare<[string], SubjectKeyRow>(
      'SELECT key_id, wrapped FROM subject_keys WHERE subject_id = ?',
    );
    this.selectByKeyId = this.db.prepare<[string], { wrapped: Buffer }>(
      'SELECT wrapped FROM subject_keys WHERE key_id = ?',
    );
    this.insertIfAbsent = this.db.prepare<[string, string, Buffer, number]>(
      'INSERT OR IGNORE INTO subject_keys (subject_id, key_id, wrapped, created_at) VALUES (?, ?, ?, ?)',
    );
    this.deleteBySubject = this.db.prepare<[string]>('DELETE FROM subject_keys WHERE subject_id = ?');
  }

  keyFor(subjectId: string): Promise<SubjectKey> {
    return settle(() => this.keyForSync(subjectId));
  }

  private keyForSync(subjectId: string): SubjectKey {
    let row = this.selectBySubject.get(subjectId);
    if (!row) {
      // INSERT OR IGNORE then read again: a concurrent creator (another process) wins and we use its
      // key. Reading first keeps the common case (a known subject) free of write transactions.
      const keyId = subjectKeyId(subjectId);
      this.insertIfAbsent.run(subjectId, keyId, this.wrap(randomBytes(32), keyId), Date.now());
      row = this.selectBySubject.get(subjectId);
    }
    if (!row) throw new Error(`subject key for ${subjectId} vanished while being created`);
    return { keyId: row.key_id, material: this.unwrap(row.wrapped, row.key_id) };
  }

  material(keyId: string): Promise<Buffer | null> {
    return settle(() => {
      const row = this.selectByKeyId.get(keyId);
      return row ? this.unwrap(row.wrapped, keyId) : null;
    });
  }

  destroy(subjectId: string): Promise<void> {
    return settle(() => {
      this.deleteBySubject.run(subjectId);
    });
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }

  private wrap(material: Buffer, keyId: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.kek, iv);
    cipher.setAAD(Buffer.from(keyId));
    const ciphertext = Buffer.concat([cipher.update(material), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
  }

  private unwrap(wrapped: Buffer, keyId: string): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.kek, wrapped.subarray(0, 12));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(wrapped.subarray(12, 28));
    return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
  }
}

/** Runs synchronous SQLite work as a promise that rejects (rather than throws) on failure. */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
