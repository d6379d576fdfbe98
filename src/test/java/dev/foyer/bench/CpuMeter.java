package dev.foyer.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How busy the machine's CPUs are with processes other than this benchmark and its server (from /proc/stat), and
 * which processes those are (from /proc/PID/stat, every second): a benchmark on a shared two-core machine is only
 * worth reading if nothing else ran meanwhile, so each phase says.
 */
final class CpuMeter {

	/** USER_HZ: 100 on every Linux this runs on. */
	static final long CLOCK_TICKS = 100;

	private static final com.sun.management.OperatingSystemMXBean OS =
			(com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	private final int cpus = Runtime.getRuntime().availableProcessors();

	private final LongSupplier serverCpuMillis;

	/** pid to {CPU ticks when first seen (0 if it started after us), last seen}; pid to its description. */
	private final Map<Long, long[]> seen = new HashMap<>();

	private final Map<Long, String> names = new HashMap<>();

	private boolean firstScan = true;

	/** Our own helper processes (hash probes, jcmd, jstat): not "others". */
	private final java.util.Set<Long> ours = java.util.concurrent.ConcurrentHashMap.newKeySet();

	CpuMeter(LongSupplier serverCpuMillis) {
		this.serverCpuMillis = serverCpuMillis;
		scan();
		// Processes that start and end within a phase (a test JVM, a build) would escape samples taken only at
		// its ends: look every second.
		Thread watcher = new Thread(() -> {
			while (true) {
				try {
					Thread.sleep(1_000);
				}
				catch (InterruptedException ex) {
					return;
				}
				scan();
			}
		}, "cpu-meter");
		watcher.setDaemon(true);
		watcher.start();
	}

	/** A moment: the machine's busy CPU time, ours, the server's, and each process's CPU ticks since we started. */
	record Sample(long wallNanos, long busyMillis, long ownMillis, long serverMillis, Map<Long, Long> processTicks) {
	}

	Sample sample() {
		return new Sample(System.nanoTime(), machineBusyMillis(), OS.getProcessCpuTime() / 1_000_000,
				this.serverCpuMillis.getAsLong(), scan());
	}

	/**
	 * The processes other than ours and the server that used the most CPU between the samples, e.g.
	 * "mvn (pid 4711) 31%, java (surefire test JVM) (pid 4790) 12%", as shares of all CPUs.
	 */
	synchronized String topOthers(Sample from, Sample to, long serverPid, int count) {
		double wallTicks = (to.wallNanos() - from.wallNanos()) / 1e9 * CLOCK_TICKS * this.cpus;
		long self = ProcessHandle.current().pid();
		return to.processTicks().entrySet().stream()
			.filter(e -> e.getKey() != self && e.getKey() != serverPid && !this.ours.contains(e.getKey()))
			.map(e -> Map.entry(e.getKey(), e.getValue() - from.processTicks().getOrDefault(e.getKey(), 0L)))
			.filter(e -> e.getValue() >= wallTicks / 100)
			.sorted(Map.Entry.<Long, Long>comparingByValue().reversed())
			.limit(count)
			.map(e -> String.format(java.util.Locale.ROOT, "%s (pid %d) %.0f%%",
					this.names.getOrDefault(e.getKey(), "?"), e.getKey(), 100 * e.getValue() / wallTicks))
			.reduce((x, y) -> x + ", " + y)
			.orElse("none seen (kernel work, or processes shorter than a second)");
	}

	void ours(long pid) {
		this.ours.add(pid);
	}

	/** Reads every process's CPU ticks; returns, per process ever seen, the ticks it used since we started. */
	private synchronized Map<Long, Long> scan() {
		try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
			for (Path dir : proc) {
				try {
					long pid = Long.parseLong(dir.getFileName().toString());
					String stat = Files.readString(dir.resolve("stat"));
					String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
					long[] known = this.seen.get(pid);
					if (known == null) {
						this.seen.put(pid, new long[] { this.firstScan ? ticks : 0, ticks });
						this.names.put(pid, describe(pid));
					}
					else if (ticks > known[1]) {
						known[1] = ticks;
						String name = describe(pid); // again: it may have exec'd since
						if (!name.equals("ended")) {
							this.names.put(pid, name);
						}
					}
				}
				catch (IOException | RuntimeException ex) {
					// gone meanwhile
				}
			}
		}
		catch (IOException ex) {
			// no /proc: no detail
		}
		this.firstScan = false;
		Map<Long, Long> used = new HashMap<>();
		this.seen.forEach((pid, t) -> used.put(pid, t[1] - t[0]));
		return used;
	}

	/** The command of a process, shortened: "java ... org.codehaus.plexus.classworlds.launcher.Launcher" becomes "mvn". */
	private static String describe(long pid) {
		try {
			String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ').strip();
			if (cmdline.isEmpty()) {
				String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
				return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
			}
			if (cmdline.contains("plexus.classworlds")) {
				return "mvn";
			}
			if (cmdline.contains("surefire")) {
				return "java (surefire test JVM)";
			}
			if (cmdline.contains("-jar ")) {
				return "java -jar " + Path.of(cmdline.substring(cmdline.indexOf("-jar ") + 5).split(" ")[0]).getFileName();
			}
			return cmdline.length() > 60 ? cmdline.substring(0, 60) + "..." : cmdline;
		}
		catch (IOException | RuntimeException ex) {
			return "ended";
		}
	}

	/** Share (0 to 1) of all CPUs that other processes used between the two samples. */
	double othersShare(Sample from, Sample to) {
		double wallMillis = (to.wallNanos() - from.wallNanos()) / 1e6;
		if (wallMillis <= 0) {
			return 0;
		}
		long others = (to.busyMillis() - from.busyMillis()) - (to.ownMillis() - from.ownMillis())
				- (to.serverMillis() - from.serverMillis());
		return Math.max(0, others / (wallMillis * this.cpus));
	}

	/** Share (0 to 1) of all CPUs the server used between the two samples. */
	double serverShare(Sample from, Sample to) {
		double wallMillis = (to.wallNanos() - from.wallNanos()) / 1e6;
		return wallMillis <= 0 ? 0 : (to.serverMillis() - from.serverMillis()) / (wallMillis * this.cpus);
	}

	/**
	 * Waits, up to the limit, for a second in which other processes use less than the threshold of the CPUs.
	 * Returns the share of the last second measured.
	 */
	double awaitQuiet(double threshold, long limitMillis, java.util.function.Consumer<String> log)
			throws InterruptedException {
		long deadline = System.currentTimeMillis() + limitMillis;
		long lastSaid = 0;
		while (true) {
			Sample a = sample();
			Thread.sleep(1_000);
			double share = othersShare(a, sample());
			if (share < threshold || System.currentTimeMillis() > deadline) {
				return share;
			}
			if (System.currentTimeMillis() - lastSaid > 10_000) {
				log.accept(String.format(java.util.Locale.ROOT,
						"other processes use %.0f%% of the CPUs; waiting (up to %d s) for the machine to be quiet ...",
						share * 100, limitMillis / 1000));
				lastSaid = System.currentTimeMillis();
			}
		}
	}

	/** user + nice + system + irq + softirq over all CPUs, from the first line of /proc/stat. */
	static long machineBusyMillis() {
		try {
			String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
			String[] f = line.trim().split("\\s+");
			long ticks = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
					+ Long.parseLong(f[7]);
			return ticks * 1000 / CLOCK_TICKS;
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

}
