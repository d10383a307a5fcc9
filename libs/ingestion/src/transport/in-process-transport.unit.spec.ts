import { InProcessTransport } from './in-process-transport';
import { testTransportContract } from './testing/transport.contract';

testTransportContract('in-process', () => Promise.resolve(new InProcessTransport()));
