import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';

export interface DbOptions {
  url: string;
  poolSize: number;
}

/**
 * The one place that builds TypeORM's options. Never `synchronize`: the schema is the migrations.
 * The pool is sized explicitly and connecting gives up after 5 s instead of hanging a request.
 */
export function buildDataSourceOptions({ url, poolSize }: DbOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: poolSize,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30000,
      statement_timeout: 30000,
      application_name: 'mediation-tracker',
    },
  };
}
