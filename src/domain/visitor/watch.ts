/**
 * The office's watch and deny lists, matched at the gate without the gate holding what is
 * matched: each entry is a keyed hash of an ID number and/or of a name with a phone number
 * (seal.ts `matchHash`), with the office's level and instruction. The guard sees the result;
 * the visitor's screen never does.
 */
import { z } from 'zod';
import { ID_DOCUMENT_TYPES } from '../rules/identity-documents';
import type { SyncedRow } from '../sync/tables';
import { lineText } from '../text';
import { NAME_MAX, WATCH_LEVELS, type WatchLevel } from './entry';

/** What the office types for a watch-list entry: an ID number, or a name with a phone, or both. */
export const watchFieldsSchema = z
  .object({
    level: z.enum(WATCH_LEVELS),
    name: lineText(NAME_MAX).default(''),
    phone: lineText(20).default(''),
    idType: z.enum(ID_DOCUMENT_TYPES).nullable().default(null),
    idNumber: lineText(40).default(''),
    /** What the guard should do; shown to the guard only. */
    instruction: lineText(200).pipe(z.string().min(1, 'required')),
  })
  .strict();
export type WatchFields = z.output<typeof watchFieldsSchema>;

export interface WatchMatch {
  level: WatchLevel;
  instruction: string;
  entryId: string;
}

/** The hashes of the visitor at the gate; null where the visitor gave no such detail. */
export interface VisitorHashes {
  idHash: string | null;
  namePhoneHash: string | null;
}

/** The strongest match: a deny entry wins over a watch entry; none gives null. */
export function matchWatchList(
  entries: ReadonlyArray<{ id: string; row: SyncedRow<'watch'> }>,
  visitor: VisitorHashes,
): WatchMatch | null {
  let best: WatchMatch | null = null;
  for (const { id, row } of entries) {
    const hit =
      (visitor.idHash !== null && row.idHash === visitor.idHash) ||
      (visitor.namePhoneHash !== null && row.namePhoneHash === visitor.namePhoneHash);
    if (!hit) continue;
    if (!best || (best.level === 'watch' && row.level === 'deny'))
      best = { level: row.level, instruction: row.instruction, entryId: id };
  }
  return best;
}
