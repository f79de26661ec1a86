/** The event engine (issue 6): Windows event records × event rules → findings. */
export { createEventHunter, huntEvents } from './hunt.js';
export type { EventFile, EventHunter, HuntEventsOptions } from './hunt.js';
export { createEventMatcher, eventRulesOf } from './matcher.js';
export type { EventHit, EventMatcher } from './matcher.js';
