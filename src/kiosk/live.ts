/**
 * A Dexie live query as a Preact hook: re-runs when the tables it read change (the sync worker's
 * writes included) and when `deps` change. `undefined` until the first answer.
 */
import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';

export function useLive<T>(query: () => Promise<T>, deps: readonly unknown[]): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    const sub = liveQuery(query).subscribe({
      next: setValue,
      error: (e: unknown) => console.error(e),
    });
    return () => sub.unsubscribe();
  }, deps);
  return value;
}
