/**
 * Who is signed in, the community being worked on and its settings, and what the signed-in role
 * may do there: menus and buttons use `allowed`, the same permission table the server enforces.
 */
import { computed, signal } from '@preact/signals';
import { communitySettingsSchema, type CommunitySettings } from '../domain/community';
import { can, type Permission, type Role } from '../domain/permissions';
import { get, post, sessionLost } from './api';

export interface Me {
  id: string;
  username: string;
  displayName: string;
  communities: Array<{ id: number; name: string; role: Role }>;
}

/** undefined while the first answer is awaited; null when signed out. */
export const me = signal<Me | null | undefined>(undefined);
export const communityId = signal<number | null>(null);
export const settings = signal<CommunitySettings | null>(null);

const STORAGE_KEY = 'gatepost.office.community';

export const currentCommunity = computed(
  () => me.value?.communities.find((c) => c.id === communityId.value) ?? null,
);
export const role = computed<Role | null>(() => currentCommunity.value?.role ?? null);

export function allowed(permission: Permission): boolean {
  const r = role.value;
  return r !== null && can(r, permission);
}

/** The API path of the current community. */
export function cpath(rest = ''): string {
  return `/communities/${communityId.value}${rest}`;
}

async function loadSettings(id: number): Promise<void> {
  settings.value = null;
  const c = await get<{ settings: unknown }>(`/communities/${id}`);
  if (communityId.value === id) settings.value = communitySettingsSchema.parse(c.settings);
}

export async function chooseCommunity(id: number): Promise<void> {
  communityId.value = id;
  try {
    localStorage.setItem(STORAGE_KEY, String(id));
  } catch {
    // Not remembered; the first community is chosen next time.
  }
  await loadSettings(id);
}

async function adopt(account: Me): Promise<void> {
  me.value = account;
  sessionLost.value = false;
  let saved: number | null = null;
  try {
    saved = Number(localStorage.getItem(STORAGE_KEY)) || null;
  } catch {
    saved = null;
  }
  const first = account.communities.find((c) => c.id === saved) ?? account.communities[0];
  if (first) await chooseCommunity(first.id);
}

/** Who is signed in; without the server (offline), nobody: the sign-in form says so when used. */
export async function loadSession(): Promise<void> {
  if (!navigator.onLine) {
    // Asked again as soon as the network is back.
    me.value = null;
    window.addEventListener('online', () => void loadSession(), { once: true });
    return;
  }
  let account: Me | null;
  try {
    account = (await get<{ account: Me | null }>('/auth/session')).account;
  } catch {
    account = null;
  }
  if (account) await adopt(account);
  else me.value = null;
}

export async function signIn(username: string, password: string): Promise<void> {
  await adopt(await post<Me>('/auth/sign-in', { username, password }));
}

export async function signOut(): Promise<void> {
  try {
    await post('/auth/sign-out');
  } finally {
    me.value = null;
    settings.value = null;
  }
}
