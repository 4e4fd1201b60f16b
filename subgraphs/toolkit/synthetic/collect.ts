import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, asked for between chunks of a national-scale seed:
 * V8 otherwise lets a fast-allocating loop's garbage grow to several times what
 * is alive before collecting, and the seed's resident memory with it.
 */
let gc: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null; // not available: V8 collects on its own
    }
  }
  gc?.();
}
