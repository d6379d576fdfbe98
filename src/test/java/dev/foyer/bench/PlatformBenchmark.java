package dev.foyer.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import org.springframework.security.crypto.password.PasswordEncoder;

import tools.jackson.databind.JsonNode;

import dev.foyer.directory.PasswordHashing;

/**
 * Foyer's platform benchmark (issue 2), run by {@code ./foyer bench}: starts target/foyer.jar as a child process on
 * loopback and measures start-to-ready time (first start and restart), resident memory, bulk account creation
 * through the admin API, search latency over N accounts, and account creation with passwords against the Argon2id
 * bound measured in this JVM. Prints a table, writes it to target/bench-platform.md. Not a test: missed targets are
 * reported, never fatal.
 */
public final class PlatformBenchmark {

	static final long START_TARGET_NANOS = 4_000_000_000L;

	static final long RSS_TARGET_KIB = 300 * 1024;

	static final long SEARCH_P99_TARGET_NANOS = 20_000_000L;

	/** Our yardstick for "creation with a password is bound by the hash": at least this share of the 2-thread bound. */
	static final double PASSWORD_RATIO_TARGET = 0.8;

	static final String TENANT = "bench";

	static final String HASH_PROBE = "--hash-probe";

	private final Options options;

	private final Report report = new Report();

	private final long begun = System.nanoTime();

	/** A phase where other processes took more than this share of the CPUs is marked as disturbed. */
	static final double DISTURBED = 0.10;

	private final Map<String, Double> othersByPhase = new LinkedHashMap<>();

	/** For each disturbed phase, the processes that used the most CPU during it. */
	private final Map<String, String> disturbers = new LinkedHashMap<>();

	private long serverPid = -1;

	private CpuMeter cpu;

	/** Class path of the hash probe JVMs: this one's, with target/ directories replaced by copies taken at start. */
	private String probeClassPath;

	private List<String> serverOptions = FoyerServer.JVM_OPTIONS;

	/** CPU the hash probe JVMs used, which the CPU meter would otherwise count as other processes'. */
	private long probeCpuMillis;

	private PlatformBenchmark(Options options) {
		this.options = options;
	}

	public static void main(String[] args) throws InterruptedException {
		if (args.length == 3 && args[0].equals(HASH_PROBE)) {
			// The child JVM of hashBoundWithServerFlags: warm up, measure, print one line.
			PasswordEncoder argon2 = PasswordHashing.argon2();
			double seconds = Double.parseDouble(args[2]);
			hashesPerSecond(argon2, 1, Math.min(2, seconds));
			HashRate rate = hashesPerSecond(argon2, Integer.parseInt(args[1]), seconds);
			long cpuMillis = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
				.getProcessCpuTime() / 1_000_000;
			System.out.println(HASH_PROBE + " " + rate.perSecond() + " " + rate.cpuMillisPerHash() + " " + cpuMillis);
			return;
		}
		Options options;
		try {
			options = Options.parse(args);
		}
		catch (Options.UsageException ex) {
			if (ex.getMessage() != null) {
				System.err.println("bench: " + ex.getMessage());
				System.err.println(Options.USAGE);
			}
			else {
				System.out.println(Options.USAGE);
			}
			System.exit(ex.getMessage() == null ? 0 : 2);
			return;
		}
		int status;
		try {
			status = new PlatformBenchmark(options).run(args);
		}
		catch (Exception ex) {
			System.err.println("bench: could not run: " + ex);
			ex.printStackTrace();
			status = 1;
		}
		System.exit(status);
	}

	/**
	 * Loads now every class the run needs later from target/: the build directory is shared, and a rebuild or
	 * clean in the middle of a long run must not take a class away before its phase comes.
	 */
	private static void preload() {
		List<Class<?>> classes = List.of(People.class, AdminApi.class, AdminApi.Answer.class, CpuMeter.class,
				CpuMeter.Sample.class, Creation.class, HashRate.class, FoyerServer.class, FoyerServer.Gc.class,
				PasswordUsers.class, Report.class, Report.Row.class, Report.Fact.class, PasswordHashing.class,
				PasswordEncoder.class);
		if (classes.isEmpty() || PasswordHashing.argon2() == null) {
			throw new IllegalStateException();
		}
	}

	private int run(String[] args) throws Exception {
		preload();
		Path project = Path.of("").toAbsolutePath();
		Path builtJar = project.resolve("target/foyer.jar");
		if (!Files.isRegularFile(builtJar)) {
			throw new IllegalStateException(builtJar + " is missing: build it first (./foyer build)");
		}
		Path work = Files.createTempDirectory("foyer-bench-");
		this.probeClassPath = copyClassDirectories(work.resolve("classes"));
		FoyerServer server;
		if (this.options.asRun) {
			// As ./foyer run starts Foyer: the unpacked jar, its AOT cache, the options of ./foyer jvm-options. The
			// cache is tied to target/app, so this runs in place.
			String given = System.getProperty("foyer.jvmOptions", "").strip();
			Path appJar = project.resolve("target/app/foyer.jar");
			if (given.isEmpty() || !Files.isRegularFile(appJar)) {
				throw new IllegalStateException("--as-run needs target/app/foyer.jar and -Dfoyer.jvmOptions (bench/run "
						+ "passes ./foyer jvm-options); this ./foyer has no such build");
			}
			server = new FoyerServer(javaBinary(), appJar, List.of(given.split("\\s+")), project, work, secret());
		}
		else {
			// A copy, so that a rebuild of target/foyer.jar while we measure cannot pull the jar from under the server.
			Path jar = Files.copy(builtJar, work.resolve("foyer.jar"), StandardCopyOption.COPY_ATTRIBUTES);
			server = new FoyerServer(javaBinary(), jar, FoyerServer.JVM_OPTIONS, work, work, secret());
		}
		this.serverOptions = server.jvmOptions();
		// On Ctrl-C or any other exit: stop our server, by its own handle, and remove its data.
		Thread cleanup = new Thread(() -> {
			server.kill();
			if (!this.options.keepData) {
				WorkDirectory.delete(work);
			}
		}, "foyer-bench-cleanup");
		Runtime.getRuntime().addShutdownHook(cleanup);

		this.report.fact("Date", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
		this.report.fact("Command", ("./foyer bench " + String.join(" ", args)).strip());
		this.report.fact("JDK (benchmark)", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
		this.report.fact("JDK (server)", "?");
		this.report.fact("Machine", machine());
		this.report.fact("Server", server.describe(project) + ", embedded H2 in a fresh temp dir, 127.0.0.1 only");
		this.report.fact("Code", gitState(project));
		this.report.fact("N (accounts for search)", Report.count(this.options.users));
		log("server data in " + work + " (its logs are copied to target/bench-server-*.log at the end); port "
				+ server.port());

		String serverJava = "?";
		int status = 0;
		try {
			serverJava = measure(server);
		}
		catch (Exception ex) {
			status = 1;
			log("FAILED: " + ex);
			ex.printStackTrace();
			String why = ex.getMessage() == null ? ex.toString() : ex.getMessage().lines().findFirst().orElse(ex.toString());
			this.report.note("The run stopped early: " + why + " (server logs: target/bench-server-*.log)");
		}
		finally {
			try {
				server.stop(Duration.ofSeconds(60));
			}
			finally {
				keepLogs(work, project);
				if (this.options.keepData) {
					log("kept " + work);
				}
				else {
					WorkDirectory.delete(work);
				}
				try {
					Runtime.getRuntime().removeShutdownHook(cleanup);
				}
				catch (IllegalStateException ex) {
					// already shutting down: the hook runs anyway
				}
			}
		}
		this.report.fact("JDK (server)", serverJava);

		String text = this.report.text();
		System.out.println();
		System.out.println("Foyer platform benchmark");
		System.out.println(text);
		Path md = project.resolve("target/bench-platform.md");
		Files.createDirectories(md.getParent());
		Files.writeString(md, this.report.markdown("Foyer platform benchmark"), StandardCharsets.UTF_8);
		log("table written to " + project.relativize(md) + (this.report.anyMissed() ? " (some targets MISSED)" : ""));
		return status;
	}

	/** Every phase in order; returns the server's Java version. */
	private String measure(FoyerServer server) throws Exception {
		this.cpu = new CpuMeter(server::cpuMillis);

		// 1. Start to ready: first start on an empty data directory, then a restart on the same one.
		quiet();
		log("first start (fresh data directory: migrations, signing keys, bootstrap) ...");
		CpuMeter.Sample from = this.cpu.sample();
		long first = server.startAndAwaitReady(Duration.ofSeconds(120));
		this.serverPid = server.pid();
		phase("first start", from);
		String serverJava = server.javaVersion();
		log("ready after " + Report.seconds(first) + "; " + orEmpty(server.startedLine()));
		this.report.check("Start to ready, first start (fresh data dir)", Report.seconds(first), "<= 4 s",
				first <= START_TARGET_NANOS);
		markIfDisturbed("first start", "Start to ready, first start (fresh data dir)");
		long stopped = server.stop(Duration.ofSeconds(60));
		log("stopped gracefully in " + Report.seconds(stopped) + "; restarting on the same data directory ...");
		quiet();
		from = this.cpu.sample();
		long restart = server.startAndAwaitReady(Duration.ofSeconds(120));
		this.serverPid = server.pid();
		phase("restart", from);
		log("ready after " + Report.seconds(restart) + "; " + orEmpty(server.startedLine()));
		this.report.check("Start to ready, restart (same data dir)", Report.seconds(restart), "<= 4 s",
				restart <= START_TARGET_NANOS);
		markIfDisturbed("restart", "Start to ready, restart (same data dir)");

		// 2. Resident memory after 5 s of idleness.
		from = this.cpu.sample();
		Thread.sleep(5_000);
		phase("idle", from);
		long idle = server.procStatusKib("VmRSS");
		String heap = heapInfo(server);
		log("idle RSS " + Report.mib(idle) + "; " + heap);
		String sizing = this.serverOptions.stream().anyMatch(o -> o.startsWith("-Xmx"))
				? "Heap options: " + String.join(" ", this.serverOptions.stream()
					.filter(o -> o.startsWith("-Xm") || o.startsWith("-XX:MaxRAM")).toList()) + "."
				: "No -Xmx is given, so the JVM sizes the heap from the machine's memory (initial 1/64, maximum 1/4).";
		this.report.note("Server heap when idle after the restart (jcmd GC.heap_info, read after VmRSS): " + heap
				.replaceFirst("^heap: ", "") + ". " + sizing);
		this.report.check("Resident memory (VmRSS), idle after restart", Report.mib(idle), "<= 300 MiB",
				idle <= RSS_TARGET_KIB);

		// 3. Admin token and the tenant.
		AdminApi api = new AdminApi(server.base(), FoyerServer.CLIENT_ID, server.clientSecret());
		api.token();
		AdminApi.Answer tenant = api.postJson("/api/v1/tenants", Map.of("id", TENANT, "displayName", "Bench"));
		if (tenant.status() != 201) {
			throw new IllegalStateException("Creating tenant " + TENANT + " answered " + tenant.status() + ": " + tenant.body());
		}

		// 4. N accounts without passwords.
		int n = this.options.users;
		log("generating " + Report.count(n) + " people ...");
		People people = new People(n, this.options.seed);
		quiet();
		log("creating " + Report.count(n) + " accounts without passwords, " + this.options.bulkClients
				+ " concurrent requests ...");
		FoyerServer.Gc bulkGcBefore = server.gc();
		from = this.cpu.sample();
		Creation bulk = createConcurrently("accounts", api, n, this.options.bulkClients, i -> Map.of("email",
				people.emails[i], "displayName", people.displayNames[i]), Duration.ofMinutes(45));
		CpuMeter.Sample bulkEnd = phase("bulk creation", from);
		FoyerServer.Gc bulkGc = server.gc();
		log(bulk.summary() + String.format(Locale.ROOT, "; server CPU %.1f ms per account; server GC: %s",
				(bulkEnd.serverMillis() - from.serverMillis()) / (double) Math.max(1, bulk.created()),
				bulkGc == null || bulkGcBefore == null ? "?" : bulkGc.minus(bulkGcBefore)));
		this.report.info("Create " + Report.count(n) + " accounts without password (" + this.options.bulkClients
				+ " concurrent)", Report.rate(bulk.perSecond()) + " (" + Report.seconds(bulk.nanos()) + ", p50 "
						+ Report.millis(Report.percentile(bulk.latencies(), 50)) + ")");
		if (bulk.created() < n) {
			this.report.note("Only " + Report.count(bulk.created()) + " of " + Report.count(n) + " accounts were created ("
					+ bulk.failed() + " failed" + (bulk.timedOut() ? ", time limit reached" : "") + "): "
					+ String.join("; ", bulk.errors()));
		}
		long afterBulk = server.procStatusKib("VmRSS");
		this.report.info("Resident memory after creating the accounts", Report.mib(afterBulk));

		// 5. Search latency, sequential, over the N accounts.
		quiet();
		from = this.cpu.sample();
		String p99Figure = search(api, people);
		phase("search", from);
		markIfDisturbed("search", p99Figure);
		long afterSearch = server.procStatusKib("VmRSS");
		this.report.info("Resident memory after the searches", Report.mib(afterSearch));

		// 6. The Argon2id bound in this JVM while the server idles, then accounts with passwords against it.
		passwords(server, api);
		long afterPasswords = server.procStatusKib("VmRSS");
		this.report.info("Resident memory after the accounts with passwords", Report.mib(afterPasswords));
		this.report.info("Peak resident memory (VmHWM) since the restart", Report.mib(server.procStatusKib("VmHWM")));

		StringBuilder shares = new StringBuilder(
				"Share of all CPUs used by other processes (not the benchmark, not its server) during each phase:");
		this.othersByPhase.forEach((name, share) -> shares.append(String.format(Locale.ROOT, " %s %.0f%%%s,", name,
				share * 100, share > DISTURBED ? " (DISTURBED)" : "")));
		this.report.note(shares.substring(0, shares.length() - 1) + ". A verdict marked (disturbed) was measured while "
				+ "other processes took more than " + Math.round(DISTURBED * 100) + "% of the CPUs: rerun on a quiet machine.");
		if (!this.disturbers.isEmpty()) {
			StringBuilder who = new StringBuilder("Busiest other processes in the disturbed phases:");
			this.disturbers.forEach((phase, top) -> who.append(' ').append(phase).append(": ").append(top).append(';'));
			this.report.note(who.substring(0, who.length() - 1) + ".");
		}
		return serverJava;
	}

	private void markIfDisturbed(String phase, String figure) {
		if (this.othersByPhase.getOrDefault(phase, 0.0) > DISTURBED) {
			this.report.disturbed(figure);
		}
	}

	/** Before a timed phase: wait (bounded) for other processes to leave the CPUs alone. */
	private void quiet() throws InterruptedException {
		this.cpu.awaitQuiet(DISTURBED, this.options.quietWaitSeconds * 1000L, this::log);
	}

	private CpuMeter.Sample phase(String name, CpuMeter.Sample from) {
		return phase(name, from, 0);
	}

	/** As above, less the CPU milliseconds of our own child processes (the hash probes) in the phase. */
	private CpuMeter.Sample phase(String name, CpuMeter.Sample from, double ownChildrenMillis) {
		CpuMeter.Sample to = this.cpu.sample();
		double wallMillis = (to.wallNanos() - from.wallNanos()) / 1e6;
		double share = Math.max(0, this.cpu.othersShare(from, to)
				- ownChildrenMillis / (wallMillis * Runtime.getRuntime().availableProcessors()));
		this.othersByPhase.put(name, share);
		if (share > DISTURBED) {
			String who = this.cpu.topOthers(from, to, this.serverPid, 3);
			this.disturbers.put(name, who);
			log(String.format(Locale.ROOT, "warning: other processes used %.0f%% of the CPUs during %s: %s", share * 100,
					name, who));
		}
		return to;
	}

	/** jcmd GC.heap_info of the server, in one line, for the log (heap sizing explains most of the RSS). */
	private static String heapInfo(FoyerServer server) {
		try {
			Path jcmd = javaBinary().resolveSibling("jcmd");
			Process p = new ProcessBuilder(jcmd.toString(), Long.toString(server.pid()), "GC.heap_info")
				.redirectErrorStream(true)
				.start();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
				return "heap: jcmd failed";
			}
			return "heap: " + out.lines()
				.map(String::strip)
				.filter(l -> Stream.of("DefNew", "Tenured", "def new", "tenured", "garbage-first", "Metaspace")
					.anyMatch(l::startsWith))
				.map(l -> l.replaceAll("\\s*\\[.*", "").replaceAll("\\s+", " "))
				.reduce((x, y) -> x + "; " + y)
				.orElse("?");
		}
		catch (IOException | InterruptedException ex) {
			return "heap: " + ex;
		}
	}

	/** Runs the searches and reports them; returns the name of the p99 figure. */
	private String search(AdminApi api, People people) {
		int warmup = this.options.searchWarmup;
		int measured = this.options.searches;
		SplittableRandom random = new SplittableRandom(this.options.seed + 1);
		String[] kinds = { "email prefix", "display-name prefix", "random letters" };
		int total = warmup + measured;
		String[] prefixes = new String[total];
		int[] kindOf = new int[total];
		for (int i = 0; i < total; i++) {
			int roll = random.nextInt(10);
			int kind = roll < 4 ? 0 : roll < 8 ? 1 : 2;
			int length = random.nextInt(1, 5);
			int who = random.nextInt(people.emails.length);
			kindOf[i] = kind;
			prefixes[i] = switch (kind) {
				case 0 -> people.emails[who].substring(0, length);
				case 1 -> people.displayNames[who].substring(0, length);
				default -> {
					StringBuilder sb = new StringBuilder();
					for (int c = 0; c < length; c++) {
						sb.append((char) ('a' + random.nextInt(26)));
					}
					yield sb.toString();
				}
			};
		}
		log("searching: " + warmup + " warm-up, then " + measured + " timed searches, one at a time ...");
		long[] nanos = new long[measured];
		int[] hits = new int[measured];
		int failures = 0;
		List<String> errors = new ArrayList<>();
		long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
		int done = 0;
		for (int i = 0; i < total && System.nanoTime() < deadline; i++) {
			String path = "/api/v1/tenants/" + TENANT + "/users?search="
					+ URLEncoder.encode(prefixes[i], StandardCharsets.UTF_8) + "&limit=50";
			long t0 = System.nanoTime();
			AdminApi.Answer answer = api.get(path);
			long elapsed = System.nanoTime() - t0;
			int found = -1;
			if (answer.status() == 200) {
				JsonNode items = answer.json().get("items");
				found = items == null ? -1 : items.size();
			}
			else {
				failures++;
				if (errors.size() < 3) {
					errors.add(answer.status() + " " + answer.body());
				}
			}
			if (i >= warmup) {
				nanos[i - warmup] = elapsed;
				hits[i - warmup] = found;
				done++;
			}
		}
		if (done < measured) {
			nanos = java.util.Arrays.copyOf(nanos, done);
			this.report.note("Search stopped at its time limit after " + done + " timed searches.");
		}
		if (failures > 0) {
			this.report.note(failures + " searches failed: " + String.join("; ", errors));
		}
		String label = "Search p%s (" + Report.count(done) + " prefixes of 1-4 letters, limit 50)";
		long p99 = Report.percentile(nanos, 99);
		this.report.info(String.format(label, "50"), Report.millis(Report.percentile(nanos, 50)));
		this.report.info(String.format(label, "95"), Report.millis(Report.percentile(nanos, 95)));
		this.report.info(String.format(label, "99") + " (email or display name)", Report.millis(p99));
		this.report.info("Search max", Report.millis(Report.percentile(nanos, 100)));
		// The figure: search by email prefix, ?email=, over the same prefixes.
		long[] emailNanos = new long[done];
		for (int i = 0; i < done; i++) {
			String path = "/api/v1/tenants/" + TENANT + "/users?email="
					+ URLEncoder.encode(prefixes[warmup + i], StandardCharsets.UTF_8) + "&limit=50";
			long t0 = System.nanoTime();
			api.get(path);
			emailNanos[i] = System.nanoTime() - t0;
		}
		long emailP99 = Report.percentile(emailNanos, 99);
		this.report.info("Search by email prefix p50 (" + Report.count(done) + " prefixes)",
				Report.millis(Report.percentile(emailNanos, 50)));
		this.report.check("Search by email prefix p99 (?email=, " + Report.count(done) + " prefixes, limit 50)",
				Report.millis(emailP99), "<= 20 ms", emailP99 <= SEARCH_P99_TARGET_NANOS);
		StringBuilder byKind = new StringBuilder("Search by kind of prefix:");
		for (int k = 0; k < kinds.length; k++) {
			List<Long> mine = new ArrayList<>();
			long hitSum = 0;
			int empty = 0;
			for (int i = 0; i < done; i++) {
				if (kindOf[i + warmup] == k) {
					mine.add(nanos[i]);
					hitSum += Math.max(0, hits[i]);
					empty += hits[i] == 0 ? 1 : 0;
				}
			}
			long[] values = mine.stream().mapToLong(Long::longValue).toArray();
			byKind.append(String.format(Locale.ROOT, " %s: %d searches, p50 %s, p99 %s, max %s, %.1f hits on average, %d with none;",
					kinds[k], values.length, Report.millis(Report.percentile(values, 50)),
					Report.millis(Report.percentile(values, 99)), Report.millis(Report.percentile(values, 100)),
					values.length == 0 ? 0.0 : (double) hitSum / values.length, empty));
		}
		String breakdown = byKind.substring(0, byKind.length() - 1) + ".";
		this.report.note(breakdown);
		log("search p50 " + Report.millis(Report.percentile(nanos, 50)) + ", p95 "
				+ Report.millis(Report.percentile(nanos, 95)) + ", p99 " + Report.millis(p99) + ", max "
				+ Report.millis(Report.percentile(nanos, 100)));
		log(breakdown);
		return String.format(label, "99");
	}

	private void passwords(FoyerServer server, AdminApi api) throws InterruptedException {
		SplittableRandom random = new SplittableRandom(this.options.seed + 2);
		int count = this.options.passwordUsers;
		// The server has not hashed since its restart: warm its Argon2 code up about as much as ours below.
		int warmup = Math.min(40, Math.max(10, count / 5));
		log("warming the server up with " + warmup + " accounts with passwords ...");
		createConcurrently("warm-up accounts", api, warmup, 2, passwordUser(random, 0), Duration.ofMinutes(5));

		PasswordEncoder argon2 = PasswordHashing.argon2();
		quiet();
		log("Argon2id bound in this JVM while the server idles: warm-up, then " + this.options.hashSeconds
				+ " s on 1 thread and " + this.options.hashSeconds + " s on 2 threads ...");
		hashesPerSecond(argon2, 1, Math.min(2, this.options.hashSeconds));
		CpuMeter.Sample from = this.cpu.sample();
		HashRate hash1 = hashesPerSecond(argon2, 1, this.options.hashSeconds);
		HashRate hash2 = hashesPerSecond(argon2, 2, this.options.hashSeconds);
		CpuMeter.Sample to = this.cpu.sample();
		phase("hash bound", from);
		double serverShare = this.cpu.serverShare(from, to);
		log(String.format(Locale.ROOT, "Argon2id: %s on 1 thread, %s on 2 threads (the server used %.1f%% of the CPUs meanwhile)",
				hash1, hash2, serverShare * 100));
		this.report.info("Argon2id bound (19 MiB, t=2, p=1) in the benchmark JVM, 1 thread", hash1.toString());
		this.report.info("Argon2id bound, 2 threads", hash2.toString());
		// Fresh JVMs with the server's options: how much the GC choice, and the JIT's mood of the day, move the bound.
		List<HashRate> probes = new ArrayList<>();
		this.probeCpuMillis = 0;
		from = this.cpu.sample();
		for (int i = 0; i < 3; i++) {
			HashRate probe = hashBoundWithServerFlags(2);
			if (probe != null) {
				probes.add(probe);
			}
		}
		phase("hash probes", from, this.probeCpuMillis);
		if (!probes.isEmpty()) {
			probes.sort(Comparator.comparingDouble(HashRate::perSecond));
			String spread = probes.stream().map(HashRate::toString).reduce((x, y) -> x + ", " + y).orElse("");
			log("Argon2id on 2 threads in " + probes.size() + " fresh JVMs with the server's options: " + spread);
			this.report.info("Argon2id, 2 threads, in " + probes.size() + " fresh JVMs with the server's options ("
					+ String.join(" ", probeOptions()) + "), slowest to fastest", spread);
		}

		log("accounts with passwords: " + count + " with 2 and " + count + " with 4 concurrent clients ...");
		List<String> gcNotes = new ArrayList<>();
		for (int clients : new int[] { 2, 4 }) {
			FoyerServer.Gc gcBefore = server.gc();
			from = this.cpu.sample();
			Creation made = createConcurrently("accounts with password", api, count, clients,
					passwordUser(random, clients), Duration.ofMinutes(10));
			CpuMeter.Sample end = phase("passwords x" + clients, from);
			FoyerServer.Gc gcAfter = server.gc();
			double serverCpu = (end.serverMillis() - from.serverMillis()) / (double) Math.max(1, made.created());
			String gc = gcBefore == null || gcAfter == null ? "?" : gcAfter.minus(gcBefore).toString();
			log(made.summary() + String.format(Locale.ROOT, "; server CPU %.1f ms per account; server GC: %s", serverCpu, gc));
			gcNotes.add(String.format(Locale.ROOT, "%d clients: server CPU %.1f ms per account, server GC %s", clients,
					serverCpu, gc));
			double ratio = made.perSecond() / hash2.perSecond();
			String figure = "Create " + count + " accounts with password, " + clients + " concurrent clients";
			this.report.check(figure,
					Report.rate(made.perSecond()) + " = " + String.format(Locale.ROOT, "%.2f", ratio) + " x bound (p50 "
							+ Report.millis(Report.percentile(made.latencies(), 50))
							+ String.format(Locale.ROOT, ", server CPU %.0f ms/account)", serverCpu),
					">= " + PASSWORD_RATIO_TARGET + " x " + Report.rate(hash2.perSecond()), ratio >= PASSWORD_RATIO_TARGET);
			markIfDisturbed("hash bound", figure);
			markIfDisturbed("passwords x" + clients, figure);
			if (made.created() < count) {
				this.report.note("Only " + made.created() + " of " + count + " accounts with password were created ("
						+ made.failed() + " failed): " + String.join("; ", made.errors()));
			}
		}

		// The same bound again: if the machine's speed drifted meanwhile (shared hosts do), the ratio says less.
		quiet();
		from = this.cpu.sample();
		HashRate again = hashesPerSecond(argon2, 2, this.options.hashSeconds);
		phase("hash bound again", from);
		log("Argon2id on 2 threads again, after the password phases: " + again);
		this.report.info("Argon2id bound, 2 threads, measured again after the accounts with passwords", again.toString());
		this.report.note("Accounts with passwords, server side (CPU from /proc, GC from jstat): " + String.join("; ", gcNotes)
				+ ". For comparison, the benchmark JVM spent " + String.format(Locale.ROOT, "%.0f", hash2.cpuMillisPerHash())
				+ " ms of CPU per hash on 2 threads.");
		this.report.note(String.format(Locale.ROOT, "The Argon2id bound was measured in the benchmark JVM (%s GC, no heap "
				+ "limit) while the server idled (it used %.1f%% of the CPUs meanwhile); the server hashes with "
				+ "%s. The server and the benchmark share the machine's %d CPUs. Target for accounts with passwords "
				+ "(ours, not the issue's): at least %.0f%% of the 2-thread bound, i.e. creation is bound by the hash.",
				gcName(), serverShare * 100, String.join(" ", this.serverOptions),
				Runtime.getRuntime().availableProcessors(), PASSWORD_RATIO_TARGET * 100));
	}

	/**
	 * The same hash bound in a separate JVM started with the server's options (its GC above all), to tell the cost of
	 * the JVM configuration apart from the cost of serving a request.
	 */
	private HashRate hashBoundWithServerFlags(int threads) {
		try {
			List<String> command = new ArrayList<>();
			command.add(javaBinary().toString());
			command.addAll(probeOptions());
			command.addAll(List.of("-cp", this.probeClassPath, PlatformBenchmark.class.getName(),
					HASH_PROBE, Integer.toString(threads), Double.toString(this.options.hashSeconds)));
			Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
			this.cpu.ours(probe.pid());
			String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!probe.waitFor(2, TimeUnit.MINUTES)) {
				probe.destroyForcibly();
				return null;
			}
			HashRate rate = out.lines()
				.filter(l -> l.startsWith(HASH_PROBE + " "))
				.map(l -> l.split(" "))
				.peek(f -> this.probeCpuMillis += Long.parseLong(f[3]))
				.map(f -> new HashRate(Double.parseDouble(f[1]), Double.parseDouble(f[2])))
				.findFirst()
				.orElse(null);
			if (rate == null) {
				log("the hash probe JVM failed: " + out.lines().limit(5).reduce((x, y) -> x + " / " + y).orElse(""));
			}
			return rate;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/** The server's JVM options without its start-up cache (AOT cache or class data archive), made for its class path. */
	private List<String> probeOptions() {
		return this.serverOptions.stream()
			.filter(o -> !o.startsWith("-XX:AOTCache") && !o.startsWith("-Xlog:aot") && !o.startsWith("-XX:SharedArchiveFile"))
			.toList();
	}

	private static String gcName() {
		String first = ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).findFirst().orElse("?");
		return first.startsWith("Copy") ? "Serial" : first.startsWith("PS ") ? "Parallel" : first.split(" ")[0];
	}

	private static IntFunction<Object> passwordUser(SplittableRandom random, int round) {
		return new PasswordUsers(random, round);
	}

	/** Bodies of accounts with a password: unique emails, random names, random 16-character passwords. */
	static final class PasswordUsers implements IntFunction<Object> {

		private final SplittableRandom random;

		private final int round;

		PasswordUsers(SplittableRandom random, int round) {
			this.random = random;
			this.round = round;
		}

		@Override
		public synchronized Object apply(int i) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("email", People.passwordUserEmail(this.round, i, this.random));
			body.put("displayName", People.displayName(this.random));
			body.put("password", People.password(this.random, 16));
			return body;
		}

	}

	record Creation(String what, int count, int clients, int created, int failed, long nanos, long[] latencies,
			List<String> errors, boolean timedOut) {

		double perSecond() {
			return this.created / (this.nanos / 1e9);
		}

		String summary() {
			return String.format(Locale.ROOT, "created %,d of %,d %s with %d clients in %s: %s%s", this.created,
					this.count, this.what, this.clients, Report.seconds(this.nanos), Report.rate(perSecond()),
					this.failed == 0 ? "" : " (" + this.failed + " failed: " + String.join("; ", this.errors) + ")");
		}

	}

	/**
	 * POSTs count users with a fixed number of concurrent clients (virtual threads, each one request at a time),
	 * with progress on stderr every 5 s. Stops early after too many failures or at the time limit.
	 */
	private Creation createConcurrently(String what, AdminApi api, int count, int clients, IntFunction<Object> body,
			Duration limit) throws InterruptedException {
		String path = "/api/v1/tenants/" + TENANT + "/users";
		AtomicInteger next = new AtomicInteger();
		AtomicInteger created = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		AtomicBoolean stop = new AtomicBoolean();
		AtomicBoolean timedOut = new AtomicBoolean();
		ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
		long[] latencies = new long[count];
		int maxFailures = Math.max(50, count / 100);
		long begin = System.nanoTime();
		long deadline = begin + limit.toNanos();
		ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
		for (int c = 0; c < clients; c++) {
			pool.submit(() -> {
				while (!stop.get()) {
					int i = next.getAndIncrement();
					if (i >= count) {
						return;
					}
					Object request = body.apply(i);
					long t0 = System.nanoTime();
					String error = null;
					try {
						AdminApi.Answer answer = api.postJson(path, request);
						if (answer.status() == 201) {
							created.incrementAndGet();
						}
						else {
							error = answer.status() + " " + answer.body();
						}
					}
					catch (RuntimeException ex) {
						error = ex.toString();
					}
					latencies[i] = System.nanoTime() - t0;
					if (error != null) {
						if (errors.size() < 3) {
							errors.add(error.length() > 300 ? error.substring(0, 300) + "..." : error);
						}
						if (failed.incrementAndGet() > maxFailures) {
							stop.set(true);
						}
					}
					if (System.nanoTime() > deadline) {
						timedOut.set(true);
						stop.set(true);
					}
				}
			});
		}
		pool.shutdown();
		long lastAt = begin;
		int lastDone = 0;
		while (!pool.awaitTermination(100, TimeUnit.MILLISECONDS)) {
			long now = System.nanoTime();
			if (now - lastAt >= 5_000_000_000L) {
				int done = created.get() + failed.get();
				double recent = (done - lastDone) / ((now - lastAt) / 1e9);
				double overall = done / ((now - begin) / 1e9);
				long eta = recent > 0 ? Math.round((count - done) / recent) : -1;
				System.err.printf(Locale.ROOT, "bench:   %s: %,d / %,d  (%,.0f/s now, %,.0f/s overall)  ETA %s%s%n", what,
						done, count, recent, overall, eta < 0 ? "?" : eta / 60 + "m" + String.format("%02d", eta % 60) + "s",
						failed.get() > 0 ? "  failed " + failed.get() : "");
				lastAt = now;
				lastDone = done;
			}
		}
		long nanos = System.nanoTime() - begin;
		pool.close();
		int done = Math.min(count, next.get());
		return new Creation(what, count, clients, created.get(), failed.get(), nanos,
				java.util.Arrays.copyOf(latencies, done), List.copyOf(errors), timedOut.get());
	}

	/** Hashes per second, and this JVM's CPU time (hashing, GC, JIT) per hash. */
	record HashRate(double perSecond, double cpuMillisPerHash) {

		@Override
		public String toString() {
			return Report.rate(this.perSecond) + String.format(Locale.ROOT, " (CPU %.0f ms/hash)", this.cpuMillisPerHash);
		}

	}

	/** Hashes per second of the encoder on that many threads, each hashing one password after another. */
	static HashRate hashesPerSecond(PasswordEncoder encoder, int threads, double seconds) throws InterruptedException {
		AtomicLong hashes = new AtomicLong();
		CountDownLatch go = new CountDownLatch(1);
		long length = (long) (seconds * 1e9);
		long[] start = new long[1];
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int id = t;
			workers.add(Thread.ofPlatform().name("argon2-" + t).start(() -> {
				try {
					go.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				long end = start[0] + length;
				int k = 0;
				while (System.nanoTime() < end) {
					encoder.encode("bench-password-" + id + "-" + k++);
					hashes.incrementAndGet();
				}
			}));
		}
		com.sun.management.OperatingSystemMXBean os =
				(com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		long cpuBefore = os.getProcessCpuTime();
		start[0] = System.nanoTime();
		go.countDown();
		for (Thread worker : workers) {
			worker.join();
		}
		double perSecond = hashes.get() / ((System.nanoTime() - start[0]) / 1e9);
		return new HashRate(perSecond, (os.getProcessCpuTime() - cpuBefore) / 1e6 / Math.max(1, hashes.get()));
	}

	private static String machine() {
		String cpus = Integer.toString(Runtime.getRuntime().availableProcessors());
		try {
			Process nproc = new ProcessBuilder("nproc").redirectErrorStream(true).start();
			String out = new String(nproc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (nproc.waitFor() == 0 && !out.isEmpty()) {
				cpus = out;
			}
		}
		catch (IOException | InterruptedException ex) {
			// availableProcessors it is
		}
		String memory = "?";
		String model = "?";
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemTotal:")) {
					long kib = Long.parseLong(line.substring(9).replace("kB", "").trim());
					memory = String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
				}
			}
			for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if (line.startsWith("model name")) {
					model = line.substring(line.indexOf(':') + 1).strip();
					break;
				}
			}
		}
		catch (IOException ex) {
			// leave the question marks
		}
		return "nproc " + cpus + " (" + model + "), MemTotal " + memory + ", " + System.getProperty("os.name") + " "
				+ System.getProperty("os.version");
	}

	private static Path javaBinary() {
		String home = System.getenv("JAVA_HOME");
		if (home != null && Files.isExecutable(Path.of(home, "bin", "java"))) {
			return Path.of(home, "bin", "java");
		}
		return Path.of(ProcessHandle.current().info().command().orElseThrow(
				() -> new IllegalStateException("Set JAVA_HOME to a JDK 21+")));
	}

	private static String secret() {
		byte[] bytes = new byte[36];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes); // 48 characters
	}

	/** Copies the class directories of this JVM's class path (target/...) and returns the class path using the copies. */
	private static String copyClassDirectories(Path into) throws IOException {
		List<String> entries = new ArrayList<>();
		int n = 0;
		for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
			Path source = Path.of(entry);
			if (!Files.isDirectory(source)) {
				entries.add(entry);
				continue;
			}
			Path copy = into.resolve(Integer.toString(n++));
			try (Stream<Path> all = Files.walk(source)) {
				for (Path p : all.toList()) {
					Path target = copy.resolve(source.relativize(p).toString());
					if (Files.isDirectory(p)) {
						Files.createDirectories(target);
					}
					else {
						Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
					}
				}
			}
			catch (IOException | java.io.UncheckedIOException ex) {
				// a rebuild is under way: the probe will say if it misses something
			}
			entries.add(copy.toString());
		}
		return String.join(java.io.File.pathSeparator, entries);
	}

	/** The commit measured, and whether the working tree had changes on top of it. */
	private static String gitState(Path project) {
		try {
			Process head = new ProcessBuilder("git", "-C", project.toString(), "log", "-1", "--format=%h %s")
				.redirectErrorStream(true)
				.start();
			String commit = new String(head.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			Process status = new ProcessBuilder("git", "-C", project.toString(), "status", "--porcelain", "--", "src",
					"pom.xml")
				.redirectErrorStream(true)
				.start();
			String changes = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (head.waitFor() != 0 || status.waitFor() != 0) {
				return "?";
			}
			String shown = commit.length() > 72 ? commit.substring(0, 72) + "..." : commit;
			return "git " + shown + (changes.isEmpty() ? "" : " + uncommitted changes in src/ or pom.xml");
		}
		catch (IOException | InterruptedException ex) {
			return "?";
		}
	}

	private static void keepLogs(Path work, Path project) {
		try (Stream<Path> logs = Files.list(work)) {
			Files.createDirectories(project.resolve("target"));
			for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
				Files.copy(log, project.resolve("target/bench-" + log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
			}
		}
		catch (IOException ex) {
			System.err.println("bench: could not copy the server logs: " + ex);
		}
	}

	private static String orEmpty(String text) {
		return text == null ? "" : text;
	}

	private void log(String message) {
		System.err.printf(Locale.ROOT, "bench [%5.1f s] %s%n", (System.nanoTime() - this.begun) / 1e9, message);
	}

}
