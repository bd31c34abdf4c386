/**
 * select.poll's event bits, with the values of MicroPython's `select` module (the Linux poll.h
 * numbers its ports share), so masks written against a board mean the same here.
 */
export const POLLIN = 0x0001;
export const POLLOUT = 0x0004;
/** Always reported, whether asked for or not. */
export const POLLERR = 0x0008;
/** Always reported, whether asked for or not. */
export const POLLHUP = 0x0010;
/** A closed socket: always reported. */
export const POLLNVAL = 0x0020;
