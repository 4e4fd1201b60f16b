import { runSubgraphProcess } from '../toolkit/process';
import { health } from './index';

runSubgraphProcess(health).catch((err: unknown) => {
  console.error(`health subgraph failed to start: ${(err as Error).message}`);
  process.exit(1);
});
