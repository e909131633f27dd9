/**
 * Households and residents as the office and the main property-management system describe them.
 * The same input schemas serve the integration API and the office's CSV import, so both paths
 * end in the same rules.
 */
import { z } from 'zod';

/** Building, unit and room as printed on the door: letters, digits and a few separators. */
const addressPart = (field: string) =>
  z
    .string()
    .trim()
    .min(1, `${field} is required`)
    .max(20)
    .regex(/^[\p{L}\p{N}][\p{L}\p{N}\-#]*$/u, `${field} may hold letters, digits, - and #`);

export const OCCUPANCIES = ['owner', 'tenant', 'vacant', 'shop'] as const;
export type Occupancy = (typeof OCCUPANCIES)[number];

const externalId = z.string().trim().min(1).max(64);

export const householdInputSchema = z
  .object({
    externalId: externalId.optional(),
    building: addressPart('building'),
    unit: addressPart('unit'),
    room: addressPart('room'),
    occupancy: z.enum(OCCUPANCIES),
    movedOut: z.boolean().default(false),
    /** Flagged by the main system; a release slip then needs a supervisor's override. */
    arrears: z.boolean().default(false),
  })
  .strict();
export type HouseholdInput = z.infer<typeof householdInputSchema>;

export const RESIDENT_RELATIONS = ['owner', 'tenant', 'family', 'other'] as const;

export const residentInputSchema = z
  .object({
    externalId,
    householdExternalId: externalId,
    name: z.string().trim().min(1).max(40),
    relation: z.enum(RESIDENT_RELATIONS),
    phone: z
      .string()
      .trim()
      .max(20)
      .regex(/^[0-9+\- ]*$/, 'digits only')
      .default(''),
    movedOut: z.boolean().default(false),
  })
  .strict();
export type ResidentInput = z.infer<typeof residentInputSchema>;

/** "3-2-1201": the short form guards and clerks use for building-unit-room. */
export function householdLabel(h: { building: string; unit: string; room: string }): string {
  return `${h.building}-${h.unit}-${h.room}`;
}

/** The family name of a Chinese name (a leading compound surname where it is one). */
const COMPOUND_SURNAMES = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '令狐',
  '端木',
  '轩辕',
]);

export function surnameOf(name: string): string {
  const n = name.trim();
  if (!/^\p{Script=Han}/u.test(n)) return n.split(/\s+/).at(-1) ?? n;
  return COMPOUND_SURNAMES.has(n.slice(0, 2)) ? n.slice(0, 2) : n.slice(0, 1);
}
