import { QueryFailedError } from 'typeorm';
import { transientDatabaseFailure } from './unavailable';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('transientDatabaseFailure', () => {
  it('calls lock timeouts, deadlocks and serialization failures busy', () => {
    expect(transientDatabaseFailure(new QueryFailedError('SELECT', [], pgError('55P03', 'canceling statement due to lock timeout')))).toBe('busy');
    expect(transientDatabaseFailure(pgError('40P01'))).toBe('busy');
  });

  it('calls lost connections, a restarting server and pool timeouts unavailable', () => {
    expect(transientDatabaseFailure(new QueryFailedError('SELECT', [], pgError('57P01', 'terminating connection due to administrator command')))).toBe('unavailable');
    expect(transientDatabaseFailure(pgError('08006'))).toBe('unavailable');
    expect(transientDatabaseFailure(pgError('ECONNREFUSED'))).toBe('unavailable');
    expect(transientDatabaseFailure(new Error('timeout exceeded when trying to connect'))).toBe('unavailable');
    expect(transientDatabaseFailure(new Error('Connection terminated unexpectedly'))).toBe('unavailable');
    expect(transientDatabaseFailure(new Error('Database connection provided by a query runner was already released, cannot continue to use its querying methods anymore.'))).toBe('unavailable');
  });

  it('leaves everything else alone', () => {
    expect(transientDatabaseFailure(pgError('23505'))).toBeNull();
    expect(transientDatabaseFailure(new Error('boom'))).toBeNull();
    expect(transientDatabaseFailure(undefined)).toBeNull();
  });
});
