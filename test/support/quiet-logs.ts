import { createLogger, setProcessLogger } from '../../platform/logger';

// Servers started in a test process log at warn and above (TEST_LOG_LEVEL to see more), as JSON:
// a request log per query would bury jest's own report. Processes a test spawns log as configured.
setProcessLogger(createLogger('test', { env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL || 'warn', LOG_FORMAT: 'json' } }));
