import {
  concatEncoded,
  type EncodedRows,
  type EventSource,
  encodeEvents,
  type TelemetryEvent,
} from "@slipway/telemetry";

/** Where the buffer writes; a TelemetryStore fits. */
export interface RowSink {
  insertEncoded(table: string, rows: EncodedRows): Promise<void>;
}

/** One job's rows, per table, already encoded for the INSERT. */
export type EncodedBatch = Map<string, EncodedRows>;

interface Pending {
  rows: EncodedBatch;
  count: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface InsertBufferOptions {
  /** Flush as soon as this many rows are pending. */
  flushRows: number;
  /** Flush this long after the first row became pending (0: on the next tick). */
  flushMs: number;
  /** Most rows in one INSERT statement (one job's rows are never split). */
  maxInsertRows?: number;
}

/** A batch of validated events as encoded rows per table. */
export function eventsToRows(events: readonly TelemetryEvent[], source: EventSource): EncodedBatch {
  return encodeEvents(events, source);
}

/**
 * Coalesces the rows of several queue jobs into few INSERTs: it flushes at `flushRows` pending
 * rows or `flushMs` after the first one, whichever comes first. `add` resolves once that job's
 * rows are stored, and rejects if they could not be, so the job is retried. When a shared
 * flush fails, each job's rows are tried on their own, so one poison batch does not fail the
 * others it was flushed with. Rows wait as encoded strings (`JSONCompactEachRow`), not objects.
 */
export class InsertBuffer {
  #pending: Pending[] = [];
  #pendingRows = 0;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  readonly #maxInsertRows: number;

  constructor(
    private readonly sink: () => RowSink,
    private readonly opts: InsertBufferOptions,
  ) {
    this.#maxInsertRows = opts.maxInsertRows ?? 100_000;
  }

  get pendingRows(): number {
    return this.#pendingRows;
  }

  add(rows: EncodedBatch): Promise<void> {
    let count = 0;
    for (const r of rows.values()) count += r.rows;
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ rows, count, resolve, reject });
      this.#pendingRows += count;
      if (this.#pendingRows >= this.opts.flushRows) this.flush();
      else this.#timer ??= setTimeout(() => this.flush(), this.opts.flushMs);
    });
  }

  /** Starts writing what is pending (after any flush in progress); resolves when written. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    this.#pendingRows = 0;
    if (batch.length === 0) return this.#flushing;
    this.#flushing = this.#flushing.then(() => this.#write(batch));
    return this.#flushing;
  }

  async #insertAll(groups: Pending[]): Promise<void> {
    const byTable = new Map<string, EncodedRows[]>();
    for (const g of groups) {
      for (const [table, rows] of g.rows) {
        const list = byTable.get(table);
        if (list) list.push(rows);
        else byTable.set(table, [rows]);
      }
    }
    const sink = this.sink();
    for (const [table, chunks] of byTable) {
      let part: EncodedRows[] = [];
      let n = 0;
      for (const c of chunks) {
        if (n > 0 && n + c.rows > this.#maxInsertRows) {
          await sink.insertEncoded(table, concatEncoded(part));
          part = [];
          n = 0;
        }
        part.push(c);
        n += c.rows;
      }
      if (n > 0) await sink.insertEncoded(table, concatEncoded(part));
    }
  }

  async #write(batch: Pending[]): Promise<void> {
    try {
      await this.#insertAll(batch);
      for (const p of batch) p.resolve();
      return;
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err);
        return;
      }
    }
    // Rows that did land are re-sent below; they collapse (same event ids).
    for (const p of batch) {
      try {
        await this.#insertAll([p]);
        p.resolve();
      } catch (err) {
        p.reject(err);
      }
    }
  }

  /** Flushes what is pending and waits for every write in progress. */
  async close(): Promise<void> {
    await this.flush();
  }
}
