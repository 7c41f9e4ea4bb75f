import { canSeeCase, canSeeIdentity, maskIdNumber, visibleWorkstationId } from './scope';
import { Role } from './role.enum';

const ws = 'ws-1';
const user = (role: Role, workstationId: string | null = ws, id = 'u1') => ({ id, username: 'x', role, workstationId });

describe('scope', () => {
  it('gives admins and city-level union staff every workstation', () => {
    expect(visibleWorkstationId(user(Role.Admin, null))).toBeNull();
    expect(visibleWorkstationId(user(Role.UnionStaff, null))).toBeNull();
    expect(visibleWorkstationId(user(Role.UnionStaff))).toBe(ws);
    expect(visibleWorkstationId(user(Role.CourtClerk))).toBe(ws);
  });

  it('lets mediators see only cases assigned to them', () => {
    expect(canSeeCase(user(Role.Mediator), { workstationId: ws, mediatorId: 'u1' })).toBe(true);
    expect(canSeeCase(user(Role.Mediator), { workstationId: ws, mediatorId: 'u2' })).toBe(false);
    expect(canSeeCase(user(Role.CourtClerk), { workstationId: 'ws-2', mediatorId: null })).toBe(false);
    expect(canSeeCase(user(Role.UnionStaff, null), { workstationId: 'ws-2', mediatorId: null })).toBe(true);
  });

  it('shows identity numbers whole only to the assigned mediator, the clerk of the workstation and admins', () => {
    const c = { workstationId: ws, mediatorId: 'u1' };
    expect(canSeeIdentity(user(Role.Mediator), c)).toBe(true);
    expect(canSeeIdentity(user(Role.CourtClerk), c)).toBe(true);
    expect(canSeeIdentity(user(Role.Admin, null), c)).toBe(true);
    expect(canSeeIdentity(user(Role.UnionStaff), c)).toBe(false);
    expect(canSeeIdentity(user(Role.CourtClerk, 'ws-2'), c)).toBe(false);
  });

  it('masks identity numbers keeping three and four characters', () => {
    expect(maskIdNumber('420102199001011234')).toBe('420***********1234');
    expect(maskIdNumber(null)).toBeNull();
    expect(maskIdNumber('12345')).toBe('*****');
  });
});
