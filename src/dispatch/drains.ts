/** One pass over a category's queue. */
export type DrainPass = (category: string) => Promise<void>;

interface Asker {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces routing work per category within this process. Every job that needs a category
 * drained (a ticket queued, a unit freed) asks here. While a pass runs, new askers wait for the
 * next one, which starts after they asked and so sees what they committed; one pass serves every
 * job that arrived during the last. At a hundred tickets a second in one category, jobs no
 * longer queue one by one on its lock, and each process waits on that lock with one connection
 * per category at most, in PostgreSQL's order, so no process is starved of its turn.
 */
export class CategoryDrains {
  private readonly waiting = new Map<string, Asker[]>();
  private readonly running = new Set<string>();

  constructor(private readonly pass: DrainPass) {}

  /** Resolves once a pass that started after this call has drained the category. */
  request(category: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const askers = this.waiting.get(category) ?? [];
      askers.push({ resolve, reject });
      this.waiting.set(category, askers);
      if (!this.running.has(category)) void this.run(category);
    });
  }

  private async run(category: string): Promise<void> {
    this.running.add(category);
    try {
      for (let served = this.take(category); served.length; served = this.take(category)) {
        try {
          await this.pass(category);
          for (const asker of served) asker.resolve();
        } catch (error) {
          for (const asker of served) asker.reject(error);
        }
      }
    } finally {
      this.running.delete(category);
    }
  }

  private take(category: string): Asker[] {
    const askers = this.waiting.get(category) ?? [];
    this.waiting.delete(category);
    return askers;
  }
}
