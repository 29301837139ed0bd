// A thrown value is `unknown`: usually an Error, sometimes a string or
// anything else a library rejects with. Every layer turns one into a message
// for people the same way, so this module is pure and imports nothing, which
// lets predicates/, machines/, effects/, cli/ and the scripts all use it.

/** The message of a thrown value: an Error's message, anything else as text. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A thrown value as an Error, so a caller's rejection always carries a message and a stack. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
