// not-to-benchmark-or-test-support: ./test-support
import './test-support';
