/**
 * Coalesces concurrent calls into batches (bench/RESULTS.md, docs/SCALING.md): on a CPU-bound
 * 2-core box one statement for many requests costs far less than one statement (and one commit)
 * each. A call that arrives while no batch is running is sent on the next turn of the event loop
 * (setImmediate), together with whatever else arrived in that turn, so an idle server adds no
 * waiting; while `maxConcurrent` batches are in flight, new calls queue and leave with the next
 * free slot, so batches grow with the load by themselves (adaptive group commit).
 *
 * `run` gets the items in arrival order and returns one outcome per item, in the same order.
 * If `run` throws, every caller of that batch gets the error.
 */
export interface MicroBatchOptions {
  /** Largest batch sent at once. */
  maxBatch: number;
  /** Batches in flight at once (each holds one pool connection). */
  maxConcurrent: number;
}

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export class MicroBatcher<I, O> {
  private queue: Waiting<I, O>[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly options: MicroBatchOptions,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.running >= this.options.maxConcurrent) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    while (this.running < this.options.maxConcurrent && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.running += 1;
      this.run(batch.map((w) => w.item))
        .then(
          (outcomes) => {
            batch.forEach((w, i) => {
              w.resolve(outcomes[i] as O);
            });
          },
          (error: unknown) => {
            for (const w of batch) w.reject(error);
          },
        )
        .finally(() => {
          this.running -= 1;
          this.schedule();
        });
    }
  }
}

/** One batcher per key object (a pool), created on first use; tests with many pools stay apart. */
export function batcherFor<K extends object, I, O>(
  cache: WeakMap<K, MicroBatcher<I, O>>,
  key: K,
  make: () => MicroBatcher<I, O>,
): MicroBatcher<I, O> {
  let batcher = cache.get(key);
  if (!batcher) {
    batcher = make();
    cache.set(key, batcher);
  }
  return batcher;
}
