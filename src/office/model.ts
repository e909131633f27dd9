/**
 * What the office console receives from the server (the shapes of src/server/routes/*.ts answers)
 * and the few API calls more than one page makes.
 */
import type { CardWindow } from '../domain/credential/body';
import type { Occupancy } from '../domain/household';
import type { ApplicantRole, SlipState } from '../domain/slip';
import type { CardRole, CardStatus } from '../domain/sync/tables';
import type { SlipOutcome } from '../domain/verdict/slip';
import { get } from './api';
import { cpath } from './session';

export interface HouseholdRef {
  id: string;
  label: string;
  movedOut: boolean;
}

export interface Card {
  serial: number;
  holderName: string;
  role: CardRole;
  roleLabel: string;
  idType: string;
  idMasked: string;
  phone: string;
  photoHash: string | null;
  households: HouseholdRef[];
  window: CardWindow;
  validFrom: number;
  validUntil: number;
  depositNote: string;
  status: CardStatus;
  statusReason: string;
  statusNote: string;
  statusAt: number | null;
  followsSerial: number | null;
  followedBySerial: number | null;
  createdAt: number;
  code?: string;
}

export interface Household {
  id: string;
  externalId: string | null;
  building: string;
  unit: string;
  room: string;
  label: string;
  occupancy: Occupancy;
  movedOut: boolean;
  arrears: boolean;
  occupants: string[];
  activeCards: number;
  updatedAt: number;
}

export interface Page<T> {
  total: number;
  items: T[];
}

export function photoUrl(hash: string): string {
  return `/api${cpath(`/photos/${hash}`)}`;
}

export const fetchCard = (serial: number) => get<Card>(cpath(`/cards/${serial}`));

export interface SlipItem {
  name: string;
  quantity: number;
  unit: string;
  note: string;
}

/** A gate record of a slip (routes/slips.ts `SlipGateRecord`). */
export interface SlipRecord {
  eventId: string;
  serial: number;
  deviceId: string;
  deviceName: string;
  at: number;
  receivedAt: number;
  outcome: SlipOutcome;
  lines: Array<{ index: number; passed: number }>;
  reason: string | null;
  note: string;
  carrierName: string;
  photoHash: string | null;
  guardId: string | null;
}

export interface Slip {
  serial: number;
  household: HouseholdRef;
  applicantName: string;
  applicantRole: ApplicantRole;
  applicantPhone: string;
  idType: string;
  idMasked: string;
  items: SlipItem[];
  plate: string;
  carrierName: string;
  validFrom: number;
  validUntil: number;
  trips: number;
  consent: Record<string, string> | null;
  arrearsOverride: Record<string, string> | null;
  watchSignOff: Record<string, string> | null;
  status: string;
  state: SlipState;
  statusReason: string;
  statusNote: string;
  statusAt: number | null;
  createdAt: number;
  createdBy: string;
  approvedBy: string | null;
  uses: SlipRecord[];
  openAlert: string | null;
  code?: string;
}

export const fetchSlip = (serial: number) => get<Slip>(cpath(`/slips/${serial}`));
