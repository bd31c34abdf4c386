/** Where a link of any back end is: open, ended by the peer (data may still be read), or closed by us. */
export type LinkState = 'open' | 'peer-closed' | 'closed';
