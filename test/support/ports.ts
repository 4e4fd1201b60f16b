export { freePort } from '../../infra/scratch';
