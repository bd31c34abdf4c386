/** copro's pure wire codecs. */
export * from './at/index.js';
export * as nina from './nina/index.js';
