// Starts GOV.UK Frontend's components (error summary focus, service navigation toggle, details...).
import { initAll } from '/assets/govuk-frontend.min.js';

initAll();
