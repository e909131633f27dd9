/**
 * A community's settings, kept by the office. The gate receives the part it needs as the
 * `settings` sync row (sync/tables.ts).
 */
import { z } from 'zod';
import { lineText } from './text';

export const communitySettingsSchema = z.object({
  /** IANA time zone of the community: card hours, closing time and day boundaries use it. */
  timeZone: z.string().min(1).max(64).default('Asia/Shanghai'),
  /** Hours without a complete pull after which verdicts turn amber, then refuse automatic allow. */
  staleAmberHours: z.number().min(1).max(720).default(24),
  staleDenyHours: z.number().min(1).max(1440).default(72),
  /** The sync indicator reports "offline" after this many minutes without a successful request. */
  offlineAfterMinutes: z.number().int().min(1).max(1440).default(120),
  /** Visitors still inside at closing time are flagged and signed out (minutes after midnight). */
  closingMinutes: z
    .number()
    .int()
    .min(0)
    .max(1440)
    .default(22 * 60),
  /** Days the kiosk keeps acknowledged register entries; the server keeps them longer. */
  kioskRetentionDays: z.number().int().min(1).max(366).default(30),
  serverRetentionDays: z.number().int().min(1).max(3650).default(180),
  /** Temporary cards may not run past 31 December of the year they start (common practice). */
  cardsEndWithYear: z.boolean().default(false),
  /**
   * The community's own card roles besides 保姆, 钟点工 and 家教 (e.g. 护工, 厨师): offered on the
   * issuing form, and sent to the gate as a card of role `other` with this label.
   */
  cardRoleLabels: z
    .array(lineText(20).pipe(z.string().min(1)))
    .max(20)
    .default([]),
});
export type CommunitySettings = z.infer<typeof communitySettingsSchema>;

export const DEFAULT_SETTINGS: CommunitySettings = communitySettingsSchema.parse({});

export { isValidTimeZone } from './rules/time-window';
