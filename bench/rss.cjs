// Preloaded into benchmarked processes: reports the process's peak memory (worker threads included) on exit.
process.on('exit', () => process.stderr.write(`\nrecap-bench-maxrss ${process.resourceUsage().maxRSS}\n`));
