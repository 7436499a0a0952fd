import type { TokenKind } from '../bearer-tokens';

/**
 * Researchers' read-only access to the Open Data Hub (bearer-tokens.ts): made
 * with `npm run hub -- admin odh-reader --name …`, kept in
 * `<data>/odh/readers.json`. A reader's token opens the de-identified data
 * and counts, never a clinic's database.
 */
export const odhReaderTokens: TokenKind = { prefix: 'odhr', folder: 'odh', file: 'readers.json' };
