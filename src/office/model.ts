/**
 * What the office console receives from the server (the shapes of src/server/routes/*.ts answers)
 * and the few API calls more than one page makes.
 */
import type { CardWindow } from '../domain/credential/body';
import type { Occupancy } from '../domain/household';
import type { CardRole, CardStatus } from '../domain/sync/tables';
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
