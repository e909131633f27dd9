/**
 * Key households (重点户), procedure 4.1. The categories are sensitive: they describe a person's
 * record, health or circumstances, so only the office sees them. The gate receives what to do
 * (instruction codes and the office's note), never what the household is.
 */
import { z } from 'zod';

export const KEY_HOUSEHOLD_CATEGORIES = [
  /** 4.1.1 租赁户 */
  'rental',
  /** 4.1.2 有犯罪前科或犯罪倾向 */
  'under_watch',
  /** 4.1.2 无理取闹、惹是生非的 */
  'troublemaker',
  /** 4.1.2 不良信用 (不良客户) */
  'bad_credit',
  /** 4.1.3 弱势客户: 有严重病史 */
  'vulnerable_medical',
  /** 4.1.3 弱势客户: 孕晚期 */
  'vulnerable_pregnancy',
  /** 4.1.3 弱势客户: 60 岁以上且无子女同住 */
  'vulnerable_elderly',
] as const;
export type KeyHouseholdCategory = (typeof KEY_HOUSEHOLD_CATEGORIES)[number];

/** What the guard is asked to do; the kiosk words each in the guard's language. */
export const GATE_INSTRUCTIONS = [
  'goods_need_slip_with_consent',
  'note_visitors_and_times',
  'watch_comings_and_goings',
  'report_to_supervisor',
] as const;
export type GateInstruction = (typeof GATE_INSTRUCTIONS)[number];

/** The instructions a category implies (4.3.1.4 goods, 4.3.2.2 watch, 4.3.3.3 vulnerable). */
export const CATEGORY_INSTRUCTIONS: Record<KeyHouseholdCategory, GateInstruction[]> = {
  rental: ['goods_need_slip_with_consent'],
  under_watch: ['note_visitors_and_times', 'report_to_supervisor'],
  troublemaker: ['note_visitors_and_times'],
  bad_credit: ['goods_need_slip_with_consent'],
  vulnerable_medical: ['watch_comings_and_goings'],
  vulnerable_pregnancy: ['watch_comings_and_goings'],
  vulnerable_elderly: ['watch_comings_and_goings'],
};

export function instructionsFor(categories: readonly KeyHouseholdCategory[]): GateInstruction[] {
  const set = new Set(categories.flatMap((c) => CATEGORY_INSTRUCTIONS[c]));
  return GATE_INSTRUCTIONS.filter((i) => set.has(i));
}

export const keyHouseholdInputSchema = z
  .object({
    householdExternalId: z.string().trim().min(1).max(64),
    /** An empty list removes the household from the key-household list. */
    categories: z.array(z.enum(KEY_HOUSEHOLD_CATEGORIES)).max(KEY_HOUSEHOLD_CATEGORIES.length),
    /** The office's own words for the guard; shown beside the instructions. */
    note: z.string().trim().max(200).default(''),
  })
  .strict();
export type KeyHouseholdInput = z.infer<typeof keyHouseholdInputSchema>;

/** What the gate shows for the key households a card, visitor, invitation or slip concerns. */
export interface GateMarker {
  instructions: GateInstruction[];
  note: string;
}

/**
 * The one marker for several households (a worker employed by two): every instruction once, in
 * the list's order, and the office's notes joined. Null when none of them is a key household.
 */
export function gateMarker(
  rows: ReadonlyArray<{ instructions: readonly GateInstruction[]; note: string }>,
): GateMarker | null {
  if (rows.length === 0) return null;
  const set = new Set(rows.flatMap((k) => k.instructions));
  return {
    instructions: GATE_INSTRUCTIONS.filter((i) => set.has(i)),
    note: rows
      .map((k) => k.note)
      .filter(Boolean)
      .join('；'),
  };
}
