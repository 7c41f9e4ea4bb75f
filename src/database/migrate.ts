import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ensureDatabase } from './create-database';
import { buildDataSourceOptions } from './data-source-options';

/** `migration:run` / `migration:revert`: creates the database when missing, then applies or reverts. */
export async function migrate(url: string, direction: 'run' | 'revert' = 'run', log = console.log): Promise<string[]> {
  if (direction === 'run' && (await ensureDatabase(url))) log(`created database ${new URL(url).pathname.slice(1)}`);
  const ds = new DataSource(buildDataSourceOptions({ url, poolSize: 2 }));
  await ds.initialize();
  try {
    if (direction === 'revert') {
      await ds.undoLastMigration({ transaction: 'each' });
      log('reverted the last migration');
      return [];
    }
    const applied = await ds.runMigrations({ transaction: 'each' });
    log(applied.length ? `applied ${applied.map((m) => m.name).join(', ')}` : 'no pending migrations');
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

