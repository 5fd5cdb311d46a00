/**
 * Root hooks for the whole run: everything the test process prints is captured from here on, and at the
 * very end the canary password must not be in it (the suites check files, CLI output and errors one by one;
 * this catches whatever they did not think of, including mocha's own failure reports).
 */
import { assertNoCanary, capturedOutput, tapProcessOutput } from '../support/canary';

tapProcessOutput();

after('the canary password never reached the test output', () => {
  assertNoCanary(capturedOutput(), "this run's stdout/stderr");
});
