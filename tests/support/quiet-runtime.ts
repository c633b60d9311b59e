// Runs in every test file before its tests: keep the Temporal SDK's INFO chatter out of the output.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
