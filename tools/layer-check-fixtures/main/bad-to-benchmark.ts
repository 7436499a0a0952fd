// not-to-benchmark-or-test-support: ./ok-timing.benchmark
import './ok-timing.benchmark';
