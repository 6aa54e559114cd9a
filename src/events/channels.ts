/** Redis names shared by the relay (worker) and the socket servers (api) of one deployment. */
export const channels = (prefix: string) => ({
  /** Published after every commit that wrote events: wakes the relay at once. */
  poke: `${prefix}:events:poke`,
  /** The relay's position, so a new leader carries on where the last one stopped. */
  relayPosition: `${prefix}:events:relayed`,
  /** Socket.IO adapter key: the emitter and every API process must agree on it. */
  socketIoKey: `${prefix}:socket.io`,
  /** Server-side event carrying ordered batches of envelopes from the relay to API processes. */
  batchEvent: 'l110:events',
});
