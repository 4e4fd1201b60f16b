export { freePort } from '../../subgraphs/toolkit/ports';
