package dev.foyer.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * How busy the machine's CPUs are with processes other than this benchmark and its server, from /proc/stat: a
 * benchmark on a shared two-core machine is only worth reading if nothing else ran meanwhile, so each phase says.
 */
final class CpuMeter {

	/** USER_HZ: 100 on every Linux this runs on. */
	static final long CLOCK_TICKS = 100;

	private static final com.sun.management.OperatingSystemMXBean OS =
			(com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	private final int cpus = Runtime.getRuntime().availableProcessors();

	private final LongSupplier serverCpuMillis;

	CpuMeter(LongSupplier serverCpuMillis) {
		this.serverCpuMillis = serverCpuMillis;
	}

	record Sample(long wallNanos, long busyMillis, long ownMillis, long serverMillis) {
	}

	Sample sample() {
		return new Sample(System.nanoTime(), machineBusyMillis(), OS.getProcessCpuTime() / 1_000_000,
				this.serverCpuMillis.getAsLong());
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
	private static long machineBusyMillis() {
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
