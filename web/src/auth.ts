import { reactive, ref } from 'vue';

/** The signed-in user. Kept in localStorage so that a case opened in a new tab is signed in too. */
export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: 'admin' | 'union_staff' | 'mediator' | 'court_clerk';
  workstationId: string | null;
}

const TOKEN_KEY = 'mt.token';
const USER_KEY = 'mt.user';
const MUST_CHANGE_KEY = 'mt.mustChangePassword';

/** Set when login says mustChangePassword or a call answers 403 PASSWORD_CHANGE_REQUIRED: the password form comes first. */
export const mustChangePassword = ref(localStorage.getItem(MUST_CHANGE_KEY) === '1');
export function setMustChangePassword(v: boolean): void {
  mustChangePassword.value = v;
  if (v) localStorage.setItem(MUST_CHANGE_KEY, '1');
  else localStorage.removeItem(MUST_CHANGE_KEY);
}

function storedUser(): SessionUser | null {
  try {
    return JSON.parse(localStorage.getItem(USER_KEY) ?? 'null');
  } catch {
    return null;
  }
}

export const session = reactive<{ token: string | null; user: SessionUser | null }>({
  token: localStorage.getItem(TOKEN_KEY),
  user: storedUser(),
});

export function signIn(token: string, user: SessionUser): void {
  localStorage.setItem(TOKEN_KEY, token);
  localStorage.setItem(USER_KEY, JSON.stringify(user));
  session.token = token;
  session.user = user;
}

export function signOut(): void {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(USER_KEY);
  setMustChangePassword(false);
  session.token = null;
  session.user = null;
}

// Another tab signing in or out changes this one too.
window.addEventListener('storage', (e) => {
  if (e.key === TOKEN_KEY || e.key === USER_KEY) {
    session.token = localStorage.getItem(TOKEN_KEY);
    session.user = storedUser();
  }
});

export const hasRole = (...roles: SessionUser['role'][]) => !!session.user && roles.includes(session.user.role);
/** Union staff without a workstation work at city level (every workstation). */
export const isCityLevel = () => !!session.user && (session.user.role === 'admin' || (session.user.role === 'union_staff' && !session.user.workstationId));
