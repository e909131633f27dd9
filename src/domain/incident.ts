/**
 * The incident record (《突发事件处理记录表》, procedure 4.3.3.3 and 4.4.5): what happened at a unit,
 * who was there, what was done, signed on the kiosk's screen by three parties (the guard, the
 * supervisor, the resident or their family) and with photos. Images travel inside the event as
 * base64url, bounded so one incident always fits a push (the server's body limit is 1 MiB).
 */
import { z } from 'zod';
import { fromBase64Url } from './bytes';
import { lineText, noteText } from './text';

export const INCIDENT_TYPES = [
  'home_entry',
  'illness',
  'death',
  'disturbance',
  'goods_without_slip',
  'other',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const INCIDENT_ACTIONS = [
  'called_110',
  'called_120',
  'contacted_family',
  'contacted_emergency_contact',
  'informed_office',
] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

/** The three parties of the paper form, in its order. */
export const SIGNERS = ['guard', 'supervisor', 'resident'] as const;
export type Signer = (typeof SIGNERS)[number];

export const MAX_SIGNATURE_BYTES = 40_000;
export const MAX_PHOTO_BYTES = 150_000;
export const MAX_PHOTOS = 3;

const PNG = [0x89, 0x50, 0x4e, 0x47];
const JPEG = [0xff, 0xd8, 0xff];

function image(kind: 'PNG' | 'JPEG', magic: number[], maxBytes: number) {
  return z
    .string()
    .max(Math.ceil((maxBytes * 4) / 3))
    .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url')
    .refine((s) => {
      try {
        const b = fromBase64Url(s);
        return magic.every((m, i) => b[i] === m);
      } catch {
        return false;
      }
    }, `must be a ${kind} image of at most ${maxBytes} bytes`);
}

const signature = z
  .object({
    name: lineText(40).pipe(z.string().min(1, 'the signer’s name is required')),
    png: image('PNG', PNG, MAX_SIGNATURE_BYTES),
  })
  .strict();

export const incidentPayloadSchema = z
  .object({
    type: z.enum(INCIDENT_TYPES),
    /** The household it happened at, when it was one; else `place` says where. */
    householdId: z
      .string()
      .regex(/^[0-9A-Za-z_-]{1,64}$/)
      .nullable(),
    place: lineText(60),
    /** When it happened (the event's own time is when it was recorded), milliseconds. */
    occurredAt: z.number().int().min(0),
    people: noteText(300),
    happened: noteText(2000).pipe(z.string().min(1, 'say what happened')),
    actions: z.array(z.enum(INCIDENT_ACTIONS)).max(INCIDENT_ACTIONS.length),
    actionsNote: noteText(500),
    signatures: z.object({ guard: signature, supervisor: signature, resident: signature }).strict(),
    photos: z.array(image('JPEG', JPEG, MAX_PHOTO_BYTES)).max(MAX_PHOTOS),
  })
  .strict()
  .refine((p) => p.householdId !== null || p.place !== '', {
    message: 'name the unit or the place',
    path: ['place'],
  });
export type IncidentPayload = z.infer<typeof incidentPayloadSchema>;
