// Preloaded into node processes by the network benchmarks (NODE_OPTIONS=--import …) when CPU_PROFILE_DIR is
// set: `--cpu-prof` is not allowed in NODE_OPTIONS, so this starts V8's sampling profiler through the
// inspector and writes `<pid>.cpuprofile` when the process exits (the benchmark stops nodes with SIGTERM).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  process.on('exit', () => {
    // A main-thread session answers synchronously, so the profile is written before the process ends.
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
