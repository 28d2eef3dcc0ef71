/**
 * A start-up failure explained in one line: the component that failed and why, naming the setting to
 * change. Entry points print it alone (no stack) after stopping whatever was already started.
 */
export class StartupError extends Error {
  constructor(
    readonly component: string,
    readonly reason: string,
  ) {
    super(`${component}: ${reason}`);
  }
}
