/** A hub answer as the link carries it. */
export interface HubAnswer {
  status: number;
  body: string;
}

/**
 * A catch-up pull fetched several batches at a time and handed to RxDB one
 * batch at a time. RxDB stores each pulled batch in one IndexedDB transaction
 * whose requests are issued in one go (Dexie's bulkGet and bulkPut), so a
 * batch of 1,000 kept the data worker busy for 100-300 ms without a break,
 * and a search typed meanwhile waited that long; batches of 200 keep those
 * stretches short, but asking the hub for each one cost a round trip through
 * the main process for every 200 documents (a first pull of 20,000 took 34 s
 * instead of 22 s). So the hub is asked for `aheadLimit` changes, RxDB is
 * answered with the first `limit` of them up to that row's `seq`, and the
 * rest are held for its next request, which starts from there. Catch-up
 * (`feed=normal`) and live (`feed=longpoll`) pulls alike: after time offline
 * the live pull brings the backlog.
 *
 * Safe because a change feed's past never changes (a document changed later
 * appears again further on), so rows held a while are still the feed from
 * their `since`. One page is held per database; a request from anywhere
 * else drops it. A hub whose rows carry no `seq` (CouchDB with
 * `seq_interval`) gets its whole answer passed on unsplit.
 */
export interface PullReadAhead {
  /**
   * `database` is the one `url` names (hub-fetch.ts reads it). `give` is how
   * many of the held rows RxDB is handed for the `limit` it asked: the limit,
   * or more while nobody is using the screens (RxDB stores whatever a pull
   * answers in one batch, and takes a full answer as "there is more").
   */
  pull(database: string, url: URL, fetchPage: (url: URL) => Promise<HubAnswer>, give?: (limit: number) => number): Promise<HubAnswer>;
}

interface HeldPage {
  since: string;
  rows: Row[];
  lastSeq: unknown;
}

type Row = { seq?: unknown };

const seqOf = (row: Row | undefined): string | undefined => (typeof row?.seq === 'number' || typeof row?.seq === 'string' ? String(row.seq) : undefined);

function parsePage(body: string): { rows: Row[]; lastSeq: unknown } | undefined {
  try {
    const answer = JSON.parse(body) as { results?: unknown; last_seq?: unknown };
    return Array.isArray(answer.results) ? { rows: answer.results as Row[], lastSeq: answer.last_seq } : undefined;
  } catch {
    return undefined;
  }
}

export function createPullReadAhead(aheadLimit: number): PullReadAhead {
  const held = new Map<string, HeldPage>();
  return {
    async pull(database, url, fetchPage, give = (asked) => asked) {
      const since = url.searchParams.get('since');
      const asked = Number(url.searchParams.get('limit'));
      const kept = held.get(database);
      held.delete(database);
      // A live pull too: at the feed's end the hub holds it until a change comes, as before, and after time
      // offline it brings the backlog 1,000 at a time instead of one round trip per batch.
      if (since === null || !Number.isInteger(asked) || asked <= 0 || asked >= aheadLimit) return fetchPage(url);
      const limit = Math.max(asked, Math.min(give(asked), aheadLimit - 1));
      let page = kept && kept.since === since ? kept : undefined;
      if (!page) {
        url.searchParams.set('limit', String(aheadLimit));
        url.searchParams.delete('seq_interval');
        const answer = await fetchPage(url);
        const parsed = answer.status === 200 ? parsePage(answer.body) : undefined;
        if (!parsed || parsed.rows.length <= limit) return answer;
        page = { since, ...parsed };
      }
      const taken = page.rows.slice(0, limit);
      const through = seqOf(taken.at(-1));
      if (page.rows.length <= limit || through === undefined) return { status: 200, body: JSON.stringify({ results: page.rows, last_seq: page.lastSeq }) };
      held.set(database, { since: through, rows: page.rows.slice(limit), lastSeq: page.lastSeq });
      return { status: 200, body: JSON.stringify({ results: taken, last_seq: taken.at(-1)!.seq }) };
    },
  };
}
