/**
 * Who someone is at a campaign's table: the one Viewer concept every access
 * rule and every visibility rule takes (the campaign policy, the live table,
 * the narrator's audience).
 */
export type Role = 'gm' | 'player' | 'spectator';

export const ROLES: readonly Role[] = ['gm', 'player', 'spectator'];

/** Higher outranks lower: a GM may do what a player may, a player what a spectator may. */
export const ROLE_RANK: Record<Role, number> = { spectator: 0, player: 1, gm: 2 };

export interface Viewer {
  userId: string;
  role: Role;
}

export const isGm = (v: Pick<Viewer, 'role'>) => v.role === 'gm';
export const outranks = (role: Role, atLeast: Role) => ROLE_RANK[role] >= ROLE_RANK[atLeast];
