/**
 * Chunks waiting to become a multipart part. Holding chunks (not one growing buffer) means each
 * byte is copied once, when its part is taken, however the source was chunked: one 100 MiB chunk
 * (a large `Uint8Array` put) is cut into parts without re-copying the rest each time.
 */
export class PartBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  get bytes(): number {
    return this.size;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** Removes and returns the first `n` bytes (all of them when fewer are held). */
  take(n: number): Buffer {
    const part = Buffer.alloc(Math.min(n, this.size));
    let filled = 0;
    while (filled < part.length) {
      const chunk = this.chunks[0];
      if (chunk === undefined) break;
      const needed = part.length - filled;
      if (chunk.length <= needed) {
        chunk.copy(part, filled);
        filled += chunk.length;
        this.chunks.shift();
      } else {
        chunk.copy(part, filled, 0, needed);
        this.chunks[0] = chunk.subarray(needed);
        filled += needed;
      }
    }
    this.size -= part.length;
    return part;
  }
}
