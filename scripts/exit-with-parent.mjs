// Preloaded (`node --import`) into each process `npm start` runs. npm start holds the write end of
// the child's stdin; when npm start dies without stopping its children (kill -9, a closed terminal
// that only signalled it), the pipe closes and the child stops as if sent SIGTERM, so it drains
// (the worker hands back its jobs) instead of running on unsupervised in its own process group.
const stopWhenOrphaned = () => process.kill(process.pid, 'SIGTERM');
process.stdin.once('end', stopWhenOrphaned);
process.stdin.once('error', stopWhenOrphaned);
process.stdin.resume();
// Watching the pipe must not keep a process alive that would otherwise exit.
process.stdin.unref();
