// Builders for evidence and reasons, so every predicate cites its facts the
// same way: the dotted fact path, the source it was read from, the lines.
import type { Fact, Unknown } from '../schemas/facts.ts';
import type { Evidence, Reason } from '../schemas/records.ts';

export function evidenceOf<T>(fact: Fact<T>, path: string, lines: string[]): Evidence {
  return { fact: path, source: fact.source, lines };
}

export function reason(code: string, message: string, path: (string | number)[], evidence: Evidence[]): Reason {
  return { code, message, path, evidence };
}

/** The reason a needed fact is unknown, with the observer's own explanation. */
export function unknownFactReason(fact: Unknown, name: string, path: (string | number)[] = [name]): Reason {
  const lines = [`${fact.code}: ${fact.reason}`, ...(fact.excerpt ?? [])];
  return reason('fact-unknown', `the fact ${name} could not be read (${fact.code}: ${fact.reason})`, path, [
    { fact: name, source: fact.source, lines },
  ]);
}
