export {};
export { interviewProcess } from './interview.js';
export { accountabilityCaseProcess } from './accountability-case.js';
export { disciplinaryCaseProcess } from './disciplinary-case.js';
export { rectificationProcess } from './rectification.js';
export { obligationCycle } from './obligation-cycle.js';
export { obligationPeriod } from './obligation-cycle-period.js';
