/** A database server started by this process, for development and tests. */
export interface EmbeddedEngine {
  readonly kind: EmbeddedEngineKind;
  /** Connection string of the running server. */
  readonly uri: string;
  /** Whether data written to it survives a restart of the app. */
  readonly persistent: boolean;
  /** Operating-system process id of the server, when it runs as a child process. */
  readonly pid?: number;
  stop(): Promise<void>;
}

export type EmbeddedEngineKind = 'mongod' | 'jongodb';
