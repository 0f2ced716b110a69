// The module Worker behind `createHighlighter({worker: true})`: the engine runs
// here, and answers the page over the protocol of protocol.js.
import { serveEngine } from './engine.js';

serveEngine(self);
