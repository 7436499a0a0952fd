// not-to-test-files: ./ok-node.test
import './ok-node.test';
