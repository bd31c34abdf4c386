/** The firmware profiles: see `profiles/` (this module keeps the import path every caller uses). */
export * from './profiles/index.js';
