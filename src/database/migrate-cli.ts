import 'reflect-metadata';
import { validateEnv } from '../config/env.validation';
import { migrate } from './migrate';

/** `npm run migration:run` / `migration:revert`. */
const direction = process.argv[2] === 'revert' ? 'revert' : 'run';
let config;
try {
  config = validateEnv(process.env);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
migrate(config.DATABASE_URL, direction).catch((e) => {
  console.error(`migration failed: ${(e as Error).message}`);
  process.exit(1);
});
