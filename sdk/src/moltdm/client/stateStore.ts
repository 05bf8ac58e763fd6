/**
 * Where a client keeps its state: one JSON document (keys, sessions, sender keys, conversations,
 * the queue cursor), replaced as a whole on every save so the parts never disagree after a crash.
 * The document holds private keys: stores keep it private (file mode 0600, an encrypting store
 * in browsers).
 */
export interface StateStore {
  /** The last saved document, or null when nothing was saved yet. */
  load(): Promise<string | null>;
  /** Replaces the document atomically: after a crash either the old or the new one is there. */
  save(document: string): Promise<void>;
  /** Forgets the document (an unlinked device, a failed pairing). */
  clear(): Promise<void>;
}

/** A store that lives as long as the process (tests, throwaway agents). */
export function memoryStateStore(initial: string | null = null): StateStore {
  let doc = initial;
  return {
    load: async () => doc,
    save: async (d) => {
      doc = d;
    },
    clear: async () => {
      doc = null;
    },
  };
}
