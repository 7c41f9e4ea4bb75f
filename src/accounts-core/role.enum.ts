export enum Role {
  Admin = 'admin',
  UnionStaff = 'union_staff',
  Mediator = 'mediator',
  CourtClerk = 'court_clerk',
}

export const ROLES = Object.values(Role);
