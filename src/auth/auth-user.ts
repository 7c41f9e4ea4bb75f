// Moved to src/accounts-core/ (below audit, users, workstations and the request log); kept here for the
// domain folders that import it from auth/.
export * from '../accounts-core/auth-user';
