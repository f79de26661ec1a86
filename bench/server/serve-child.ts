/**
 * The fleet server under test as its own process (so the load generator does not share its
 * event loop): opens the bench store named in --state, serves it on 127.0.0.1:0, prints
 * `LISTEN <url>`, and on SIGTERM closes and prints its CPU time as one JSON line on stderr.
 *
 *   npx tsx bench/server/serve-child.ts --state FILE [--pool 10]
 */
import { arg, loadTarget, openBench } from './bench-db.js';
import { listen } from './listen.js';

const target = loadTarget(arg('state', ''));
const store = await openBench(target, Number(arg('pool', '10')));
const srv = await listen(store);
process.stdout.write(`LISTEN ${srv.base}\n`);
process.once('SIGTERM', () => {
  void (async () => {
    await srv.close();
    await store.close();
    const cpu = process.cpuUsage();
    process.stderr.write(`${JSON.stringify({ serverCpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1), serverMaxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
    process.exit(0);
  })();
});
