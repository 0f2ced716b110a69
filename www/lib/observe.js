// Watching a highlighted root for changes (`observe: true`): a MutationObserver
// whose records are batched and handed over once per animation frame, before the
// frame is painted, so new text appears already highlighted.
//
// The highlighter's own DOM writes are dropped with discard() right after it makes
// them (they are synchronous), so they never come back as changes.

const OPTIONS = { childList: true, subtree: true, characterData: true };

/** Batches the mutations under the observed nodes, one batch per frame. */
export class Watcher {
  #observer;
  #pending = [];
  #frame = 0;
  #view;
  #onChange;
  #ignore;

  /**
   * @param {Window} view the window whose frames pace the batches
   * @param {(records: MutationRecord[]) => void} onChange called with each batch
   * @param {(record: MutationRecord) => boolean} ignore records to drop
   */
  constructor(view, onChange, ignore) {
    this.#view = view;
    this.#onChange = onChange;
    this.#ignore = ignore;
    this.#observer = new view.MutationObserver((records) => {
      const changes = records.filter((r) => !this.#ignore(r));
      if (changes.length === 0) return;
      this.#pending.push(...changes);
      this.#schedule();
    });
  }

  /**
   * Watches `node` and everything under it (call again for each shadow root and
   * frame document: mutations there are not seen from outside).
   * @param {Node} node
   */
  observe(node) {
    this.#observer.observe(node, OPTIONS);
  }

  /** Drops the records of mutations made until now (the highlighter's own). */
  discard() {
    this.#observer.takeRecords();
  }

  /**
   * Takes the records the observer holds but has not delivered yet; true when a
   * change of the page is waiting to be handled (its batch is then scheduled).
   * @returns {boolean}
   */
  takePending() {
    const records = this.#observer.takeRecords().filter((r) => !this.#ignore(r));
    if (records.length > 0) {
      this.#pending.push(...records);
      this.#schedule();
    }
    return this.#pending.length > 0;
  }

  /** Whether a batch of changes is waiting for its frame. */
  get busy() {
    return this.#frame !== 0 || this.#pending.length > 0;
  }

  /** Stops watching; pending records are dropped. */
  disconnect() {
    this.#observer.disconnect();
    this.#pending = [];
    if (this.#frame) {
      if (this.#view.cancelAnimationFrame) this.#view.cancelAnimationFrame(this.#frame);
      else this.#view.clearTimeout(this.#frame);
    }
    this.#frame = 0;
  }

  #schedule() {
    if (this.#frame) return;
    const run = () => {
      this.#frame = 0;
      const records = this.#pending.concat(this.#observer.takeRecords()).filter((r) => !this.#ignore(r));
      this.#pending = [];
      if (records.length > 0) this.#onChange(records);
    };
    this.#frame = this.#view.requestAnimationFrame
      ? this.#view.requestAnimationFrame(run)
      : this.#view.setTimeout(run, 16);
  }
}
