// `npm run bench` runs this: what metering costs the gateway (bench/billing/metering-overhead.mjs).
// The micro-benchmarks beside it (rate-limiter.mjs, ledger.mjs) are run by hand.
await import('./metering-overhead.mjs');
