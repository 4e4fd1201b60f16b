import { runSubgraphProcess } from '../toolkit/process';
import { governance } from './index';

runSubgraphProcess(governance).catch((err: unknown) => {
  console.error(`governance subgraph failed to start: ${(err as Error).message}`);
  process.exit(1);
});
