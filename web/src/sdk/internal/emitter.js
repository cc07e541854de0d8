// A small event emitter, the same in browsers and in Node: `on` returns its own remover, and a
// handler that throws never stops the others (nor the SDK's own bookkeeping).

export class Emitter {
  #handlers = new Map();

  /** Registers `handler` for `event`; returns a function that removes it. */
  on(event, handler) {
    if (typeof handler !== "function") throw new TypeError("handler must be a function");
    let list = this.#handlers.get(event);
    if (!list) this.#handlers.set(event, (list = []));
    list.push(handler);
    this.onSubscribe(event);
    return () => {
      const at = list.indexOf(handler);
      if (at >= 0) list.splice(at, 1);
    };
  }

  /** Whether anyone listens to `event`. */
  hasListeners(event) {
    return (this.#handlers.get(event)?.length ?? 0) > 0;
  }

  /** Called after each `on`; subclasses use it to hand over what they kept for a first listener. */
  onSubscribe(_event) {}

  emit(event, ...args) {
    const list = this.#handlers.get(event);
    if (!list) return;
    for (const handler of [...list]) {
      try {
        handler(...args);
      } catch (error) {
        // An application bug must not corrupt the SDK's state: report it and carry on.
        setTimeout(() => { throw error; });
      }
    }
  }
}
