import { JobName } from './queue-names';

describe('job handlers check', () => {
  // A fresh module registry per test: the registry of handled jobs is module state.
  beforeEach(() => jest.resetModules());

  it('refuses to start while a job has no handler, naming it', () => {
    const { registerJobHandler } = require('./job-handlers') as typeof import('./job-handlers');
    const { JobHandlersCheck } = require('./queue-worker.module') as typeof import('./queue-worker.module');
    const all = Object.values(JobName);
    registerJobHandler(...all.filter((j) => j !== JobName.RecomputeStats));
    expect(() => new JobHandlersCheck().onApplicationBootstrap()).toThrow(`No handler for job(s): ${JobName.RecomputeStats}`);
  });

  it('starts once every job of the enum has a handler', () => {
    const { registerJobHandler, missingJobHandlers } = require('./job-handlers') as typeof import('./job-handlers');
    const { JobHandlersCheck } = require('./queue-worker.module') as typeof import('./queue-worker.module');
    expect(missingJobHandlers()).toEqual(Object.values(JobName));
    registerJobHandler(...Object.values(JobName));
    expect(() => new JobHandlersCheck().onApplicationBootstrap()).not.toThrow();
  });
});
