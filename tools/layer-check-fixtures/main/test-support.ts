// Test support, as product folders name it: imported by tests and benchmarks only.
export const fakeClock = (): number => 0;
