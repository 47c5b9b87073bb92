// Cleanup that must happen however the bench ends: children killed, sysctls restored, tmpfs unmounted.
const tasks = [];
let ran = false;

/** Registers a synchronous cleanup step; returns a function that unregisters it. */
export function onCleanup(fn) {
  tasks.push(fn);
  return () => {
    const i = tasks.indexOf(fn);
    if (i >= 0) tasks.splice(i, 1);
  };
}

export function runCleanup() {
  if (ran) return;
  ran = true;
  // Last registered first: children die before the directory they write into is unmounted.
  for (const fn of tasks.splice(0).reverse()) {
    try {
      fn();
    } catch {
      // Keep going: one failed step must not leave the others undone.
    }
  }
}

process.on('exit', runCleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    runCleanup();
    process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 })[sig]);
  });
}
