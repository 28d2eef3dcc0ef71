// A message that outlives one navigation ("User deleted", "Welcome"): set before navigate, shown once by the next page.
let pending: string | undefined;

export function setFlash(message: string): void {
  pending = message;
}

export function takeFlash(): string | undefined {
  const m = pending;
  pending = undefined;
  return m;
}
