import { runSubgraphProcess } from '../toolkit/process';
import { casework } from './index';

runSubgraphProcess(casework).catch((err: unknown) => {
  console.error(`casework subgraph failed to start: ${(err as Error).message}`);
  process.exit(1);
});
