/** copro's pure wire codecs. */
export * from './at/index.js';
