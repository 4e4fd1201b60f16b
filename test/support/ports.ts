export { freePort } from '../../subgraphs/toolkit/database/scratch';
