/**
 * Staff roles and what each may do. Shared: the server enforces it on every route, and the office
 * console uses the same table to show only the menus a role can use.
 *
 * - administrator (系统管理员): staff accounts, devices, keys, API keys, settings, and everything a
 *   clerk or supervisor does.
 * - office clerk (客服中心): households, cards, slips, invitations, registers.
 * - security supervisor (秩序维护部主管): guards, key households, watch lists, registers, overrides.
 * Revealing a sealed ID number and reading a key household's category are separate permissions:
 * a clerk sees, like the guard, that a household is a key household and what to do, not why
 * (docs/privacy.md). The outing record (出门备案) is the clerk's; incident records are read by
 * the supervisor, who signs them.
 */
export const ROLES = ['admin', 'clerk', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'community.read',
  'community.manage',
  'staff.manage',
  'device.read',
  'device.manage',
  'key.manage',
  'apikey.manage',
  'audit.read',
  'household.read',
  'household.write',
  'card.read',
  'card.write',
  'slip.read',
  'slip.write',
  'slip.override',
  'invitation.write',
  'register.read',
  'keyhousehold.read',
  'keyhousehold.category',
  'keyhousehold.write',
  'watchlist.write',
  'guard.manage',
  'sealed.reveal',
  'events.read',
  'care.read',
  'care.write',
  'incident.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const CLERK: Permission[] = [
  'community.read',
  'device.read',
  'household.read',
  'household.write',
  'card.read',
  'card.write',
  'slip.read',
  'slip.write',
  'invitation.write',
  'register.read',
  'keyhousehold.read',
  'events.read',
  'care.read',
  'care.write',
];

const SUPERVISOR: Permission[] = [
  'community.read',
  'device.read',
  'household.read',
  'card.read',
  'slip.read',
  'slip.override',
  'register.read',
  'keyhousehold.read',
  'keyhousehold.category',
  'keyhousehold.write',
  'watchlist.write',
  'guard.manage',
  'sealed.reveal',
  'events.read',
  'care.read',
  'incident.read',
];

export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  admin: new Set(PERMISSIONS),
  clerk: new Set(CLERK),
  supervisor: new Set(SUPERVISOR),
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
