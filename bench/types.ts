/** Shapes shared by the bench's files. */
/** A resource's inputs or outputs, as the provider runtime takes them. */
export type Props = Record<string, unknown>;

/** What one phase of a scenario cost. */
export interface PhaseResult {
  phase: string;
  calls: number;
  rejected: number;
  failed: number;
  wallMs: number;
  cpuMsPerOp: number;
  /** The part of `cpuMsPerOp` spent on the main thread (Linux only); the rest is V8's own threads. */
  mainThreadMsPerOp?: number;
  /** Scenario D: agents not on the successor, plus retiring keys left, after the phase. */
  stranded?: number;
}

/** One way of driving the phases: the provider runtime, or a naive client. */
export interface Driver {
  create(i: number): Promise<{ id: string; outs: Props }>;
  noop(id: string, outs: Props, i: number): Promise<void>;
  read(id: string, outs: Props): Promise<void>;
  destroy(id: string): Promise<void>;
  /** Takes over the existing key titled `declaration.title` (`adopt: true`) and makes it the declaration. */
  adopt(declaration: Props): Promise<{ id: string; outs: Props }>;
  /** Changes key `id` from `outs` (its state) to `declaration`. */
  update(id: string, outs: Props, declaration: Props): Promise<Props>;
  /** Deletes key `id`, whose state `outs` names a successorKeyId, moving its agents there first. */
  retire(id: string, outs: Props): Promise<void>;
  /** How many operations run at once. */
  parallelism: number;
}

