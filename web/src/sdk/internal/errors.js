// The one error type every rejected promise of the SDK carries.

export class DialtoneError extends Error {
  constructor(code, message, { hookCode, reason } = {}) {
    super(message || code);
    this.name = "DialtoneError";
    this.code = code;
    if (hookCode !== undefined) this.hookCode = hookCode;
    if (reason !== undefined) this.reason = reason;
  }

  /** The error of an `error` reply frame. */
  static fromReply(frame) {
    return new DialtoneError(frame.code, frame.message, { hookCode: frame.hookCode, reason: frame.reason });
  }
}
