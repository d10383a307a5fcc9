import { join, resolve, sep } from 'node:path';
import type { StorageZone } from '@medlineage/domain';
import { ObjectStoreFatalError, validateObjectKey, zoneName } from '@medlineage/object-store';

/** Directory of in-progress puts, inside each zone so that publishing is a same-filesystem rename. */
const STAGING = '.staging';

/**
 * Where things live under the root: `<root>/<zone>/sha256/<h0h1>/<h2h3>/<hash>` for objects,
 * `<root>/<zone>/.staging/<uuid>.part` for puts in progress. Paths are built only from validated
 * zones and keys; the containment check below is a second line, not the first.
 */
export class FsLayout {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  zoneDir(zone: StorageZone): string {
    return join(this.root, zoneName(zone));
  }

  stagingDir(zone: StorageZone): string {
    return join(this.zoneDir(zone), STAGING);
  }

  objectPath(zone: StorageZone, key: string): string {
    const zoneDir = this.zoneDir(zone);
    const path = resolve(zoneDir, ...validateObjectKey(key).split('/'));
    if (!path.startsWith(zoneDir + sep)) {
      throw new ObjectStoreFatalError(`object ${key} in zone ${zone} resolves outside its zone directory`);
    }
    return path;
  }
}
