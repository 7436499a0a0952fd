import { describe, expect, it } from 'vitest';
import { RecentPatients } from './recent-patients';

describe('RecentPatients', () => {
  it('lists opened patients newest first, each once, up to the limit', () => {
    const recent = new RecentPatients(3);
    for (const id of ['a', 'b', 'c', 'a', 'd']) recent.opened('user-1', id);
    expect(recent.list('user-1')).toEqual(['d', 'a', 'c']);
  });

  it('shows one person’s list to nobody else, and starts afresh for another person', () => {
    const recent = new RecentPatients();
    recent.opened('user-1', 'a');
    expect(recent.list('user-2')).toEqual([]);
    recent.opened('user-2', 'b');
    expect(recent.list('user-2')).toEqual(['b']);
    expect(recent.list('user-1')).toEqual([]);
  });

  it('forgets everything when cleared', () => {
    const recent = new RecentPatients();
    recent.opened('user-1', 'a');
    recent.clear();
    expect(recent.list('user-1')).toEqual([]);
  });
});
