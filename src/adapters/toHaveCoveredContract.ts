//
// `toHaveCoveredContract`: on a server, the traffic of its AsyncAPI contract
// mocks used every operation of their contracts (or the ones named). It reads
// the server's public `contractReport()` only, so it works on a server from
// any copy of the package.
//
import type { ContractCoverage, ContractReport, OperationCoverage } from '../asyncapi/report.js';
import { hasBrand } from '../util/brand.js';
import type { MatcherContext, MatcherResult } from './context.js';
import type { CoveredOptions } from './types.js';
import { hint } from './verdict.js';

/** An operation of one contract, as a failure message names it. */
interface Named {
  readonly contract: ContractCoverage;
  readonly operation: OperationCoverage;
}

function describe(item: Named, many: boolean): string {
  const { contract, operation } = item;
  const where = many ? ` of "${contract.title}"` : '';
  const reply = operation.reply ? (operation.reply.seen ? `, replied ${operation.reply.count}×` : ', never replied') : '';
  const broken = operation.violations > 0 ? `, ${operation.violations} violation(s)` : '';
  return `  ${operation.id} (${operation.action} on channel ${operation.channel}${where}): ${operation.seen ? `used ${operation.count}×` : 'never used'}${reply}${broken}`;
}

/** What else the report says the traffic left out: unused messages and channels not served. */
function leftOut(contracts: readonly ContractCoverage[]): string {
  const unused = contracts.flatMap((c) => c.messages.filter((m) => !m.seen).map((m) => m.key));
  const skipped = contracts.flatMap((c) => c.skipped.map((s) => `${s.channel} (${s.reason})`));
  return [
    unused.length > 0 ? `Messages no frame used: ${unused.join(', ')}` : 'Every message was used.',
    ...(skipped.length > 0 ? [`Channels not served: ${skipped.join('; ')}`] : []),
  ].join('\n');
}

/** A misuse is thrown, not returned as a failed result, so `.not` cannot turn it into a pass. */
function misuse(ctx: MatcherContext, text: string): Error {
  return new Error(`${hint(ctx, 'toHaveCoveredContract', 'options')}\n\n${text}`);
}

/**
 * `expect(server).toHaveCoveredContract({ operations? })`: every operation of
 * the contracts the server's mocks serve or check (or every one named in
 * `operations`, by id) was used by at least one frame that fit. A failure
 * names the operations left, the messages no frame used and the channels not
 * served. With `.not`: some of them were left. Waits for nothing.
 */
export function toHaveCoveredContract(this: MatcherContext, received: unknown, options: CoveredOptions = {}): MatcherResult {
  if (!hasBrand(received, 'server') || typeof (received as { contractReport?: unknown }).contractReport !== 'function') {
    throw misuse(this, `toHaveCoveredContract() works on a wsmock MockServer (from createMockServer()).\nReceived: ${this.utils.printReceived(received)}`);
  }
  const report = (received as { contractReport(): ContractReport }).contractReport();
  const { contracts } = report;
  if (contracts.length === 0) throw misuse(this, 'The server has no contract: serve one with server.asyncapi(contract), or give a mock a `contract`.');
  const all: Named[] = contracts.flatMap((contract) => contract.operations.map((operation) => ({ contract, operation })));
  let wanted = all;
  if (options.operations !== undefined) {
    const unknown = options.operations.filter((id) => !all.some((item) => item.operation.id === id));
    if (unknown.length > 0) {
      throw misuse(this, `No contract of the server has the operation(s) ${unknown.map((id) => `"${id}"`).join(', ')}.\nIts operations: ${all.map((item) => item.operation.id).join(', ')}`);
    }
    wanted = all.filter((item) => options.operations!.includes(item.operation.id));
  }
  const missing = wanted.filter((item) => !item.operation.seen);
  const many = contracts.length > 1;
  const head = hint(this, 'toHaveCoveredContract', options.operations === undefined ? '' : 'options');
  return {
    pass: missing.length === 0,
    message: () =>
      missing.length === 0
        ? `${head}\n\nExpected some of ${wanted.length} operation(s) to be left, every one was used:\n${wanted.map((item) => describe(item, many)).join('\n')}`
        : `${head}\n\n${missing.length} of ${wanted.length} operation(s) never used:\n${missing.map((item) => describe(item, many)).join('\n')}\n\n${leftOut(contracts)}`,
  };
}
