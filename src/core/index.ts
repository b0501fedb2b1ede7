// The core: errors, ids, clock and logging, shared by every domain.
export * from './errors.js';
export * from './ids.js';
export * from './clock.js';
export * from './logging.js';
export * from './property-path.js';
