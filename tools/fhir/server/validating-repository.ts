import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { badRequest, OperationOutcomeError, type WithId } from '@medplum/core';
import { MemoryRepository, type UpdateResourceOptions } from '@medplum/fhir-router';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import { fhirErrors } from '../validators';

/**
 * Medplum's in-memory repository, made strict and durable for tests:
 * - every resource is checked with the validators the tests use before it is
 *   stored (the repository stores anything otherwise);
 * - every stored version is appended to a journal file (one JSON line), read
 *   back at start, so a test can kill the server process and start it again
 *   on the same journal and find what it had stored.
 */
export class ValidatingRepository extends MemoryRepository {
  private readonly journal: string | undefined;

  constructor(journal?: string) {
    super();
    this.journal = journal;
  }

  /** Stores what the journal holds, in order, without writing it again. */
  async replay(): Promise<number> {
    if (!this.journal || !existsSync(this.journal)) return 0;
    const lines = readFileSync(this.journal, 'utf8').split('\n').filter(Boolean);
    let stored = 0;
    for (const line of lines) {
      // A line cut short by a kill is the last one: what it held was never confirmed to the client.
      let resource: Resource;
      try {
        resource = JSON.parse(line) as Resource;
      } catch {
        continue;
      }
      await super.updateResource(resource);
      stored++;
    }
    return stored;
  }

  override async createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    checked(resource);
    return this.journaled(await super.createResource(resource));
  }

  override async updateResource<T extends Resource>(resource: T, options?: UpdateResourceOptions): Promise<WithId<T>> {
    checked(resource);
    return this.journaled(await super.updateResource(resource, options));
  }

  private journaled<T extends Resource>(stored: T): T {
    if (this.journal) appendFileSync(this.journal, `${JSON.stringify(stored)}\n`);
    return stored;
  }
}

/** The resource, or an OperationOutcomeError naming its first problem's path (the router answers it as a 400). */
function checked(resource: Resource): void {
  const problems = fhirErrors(resource);
  if (problems.length > 0) throw new OperationOutcomeError(invalid(problems.map((problem) => ({ path: problem.path, message: problem.message }))));
}

/** An OperationOutcome with one issue per problem, each naming its path as FHIR's `expression`. */
export function invalid(problems: readonly { path: string; message: string }[]): OperationOutcome {
  const first = badRequest(problems[0]?.message ?? 'invalid resource', problems[0]?.path);
  return { ...first, issue: problems.map((problem) => ({ severity: 'error', code: 'invalid', details: { text: problem.message }, ...(problem.path ? { expression: [problem.path] } : {}) })) };
}
