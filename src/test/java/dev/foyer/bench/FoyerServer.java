package dev.foyer.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.foyer.support.TestFoyer;

/**
 * Foyer as a child process: {@code java -XX:+UseSerialGC -Xss512k -jar foyer.jar} on a free loopback port, with its
 * own data directory and bootstrap client. Only ever stops the process it started, through its own handle.
 */
final class FoyerServer {

	/**
	 * The JVM options of the benchmark command, unless --as-run asks for those of ./foyer run: the serial
	 * collector, small stacks, and the vector module when ./foyer's FOYER_ARGON2_VECTORS=on put it in
	 * FOYER_MODULE_OPTIONS (which the benchmark's own JVM also runs with, for the hash bound).
	 */
	static final List<String> JVM_OPTIONS = jvmOptions(System.getenv("FOYER_MODULE_OPTIONS"));

	private static List<String> jvmOptions(String modules) {
		List<String> options = new java.util.ArrayList<>();
		if (modules != null && !modules.isBlank()) {
			options.addAll(List.of(modules.strip().split("\\s+")));
		}
		options.addAll(List.of("-XX:+UseSerialGC", "-Xss512k"));
		return List.copyOf(options);
	}

	/** {@link #JVM_OPTIONS} and more. */
	static List<String> jvmOptionsWith(String... more) {
		List<String> options = new java.util.ArrayList<>(JVM_OPTIONS);
		options.addAll(List.of(more));
		return List.copyOf(options);
	}

	static final String CLIENT_ID = "bench";

	private static final Pattern SERVER_JAVA = Pattern.compile("using Java (\\S+)");

	private static final Pattern STARTED = Pattern.compile("Started \\S+ in ([0-9.]+) seconds \\(process running for ([0-9.]+)\\)");

	private final Path java;

	private final Path jar;

	private final Path dataDir;

	private final Path workDir;

	private final List<String> jvmOptions;

	private final Path directory;

	private final int port;

	private final String clientSecret;

	private final HttpClient probe = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(1))
		.build();

	/** Settings beyond the defaults below, or in their place: a shared database and base URL for the cluster demo. */
	private final Map<String, String> environment = new java.util.LinkedHashMap<>();

	private volatile Process process;

	private Path currentLog;

	private int starts;

	/**
	 * @param jar the jar to run
	 * @param jvmOptions options before -jar
	 * @param directory the server's working directory (where relative paths in the options point)
	 * @param workDir where its data directory and logs go
	 */
	FoyerServer(Path java, Path jar, List<String> jvmOptions, Path directory, Path workDir, String clientSecret) {
		this.java = java;
		this.jar = jar;
		this.jvmOptions = List.copyOf(jvmOptions);
		this.directory = directory;
		this.workDir = workDir;
		this.dataDir = workDir.resolve("data");
		this.port = TestFoyer.freePort();
		this.clientSecret = clientSecret;
	}

	List<String> jvmOptions() {
		return this.jvmOptions;
	}

	/** Sets an environment variable of the server's next start, overriding the default of the same name. */
	FoyerServer environment(String name, String value) {
		this.environment.put(name, value);
		return this;
	}

	/** The command, as a person would type it in the project directory. */
	String describe(Path project) {
		Path shown = this.jar.startsWith(project) ? project.relativize(this.jar) : Path.of("target/foyer.jar");
		return "java " + String.join(" ", this.jvmOptions) + " -jar " + shown;
	}

	int port() {
		return this.port;
	}

	/** Where requests go: the loopback address the server binds to, by number. */
	String base() {
		return "http://127.0.0.1:" + this.port;
	}

	String clientSecret() {
		return this.clientSecret;
	}

	Path dataDir() {
		return this.dataDir;
	}

	Path currentLog() {
		return this.currentLog;
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		Process p = this.process;
		return p != null && p.isAlive();
	}

	/**
	 * Starts the server and waits until its readiness probe answers 200 "UP", polling every 20 ms. Returns the
	 * nanoseconds from just before the process was started until that answer.
	 */
	long startAndAwaitReady(Duration timeout) throws IOException, InterruptedException {
		if (isAlive()) {
			throw new IllegalStateException("Foyer is already running");
		}
		this.starts++;
		this.currentLog = this.workDir.resolve("server-" + this.starts + ".log");
		ProcessBuilder builder = new ProcessBuilder(command());
		Map<String, String> env = builder.environment();
		// Only our settings: nothing inherited that would point Foyer elsewhere or change its JVM.
		env.keySet().removeIf(name -> name.startsWith("FOYER_") || name.startsWith("SPRING_")
				|| name.startsWith("SERVER_") || name.startsWith("MANAGEMENT_") || name.equals("JAVA_TOOL_OPTIONS")
				|| name.equals("JDK_JAVA_OPTIONS") || name.equals("_JAVA_OPTIONS"));
		env.put("SERVER_PORT", Integer.toString(this.port));
		env.put("FOYER_BASE_URL", "http://localhost:" + this.port);
		env.put("FOYER_DATA_DIR", this.dataDir.toString());
		env.put("FOYER_BOOTSTRAP_CLIENT_ID", CLIENT_ID);
		env.put("FOYER_BOOTSTRAP_CLIENT_SECRET", this.clientSecret);
		env.putAll(this.environment);
		builder.directory(this.directory.toFile());
		builder.redirectErrorStream(true);
		builder.redirectOutput(this.currentLog.toFile());
		builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));

		HttpRequest readiness = HttpRequest.newBuilder(URI.create(base() + "/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(2))
			.GET()
			.build();
		long started = System.nanoTime();
		this.process = builder.start();
		long deadline = started + timeout.toNanos();
		while (true) {
			if (!this.process.isAlive()) {
				System.err.println(logTail(40));
				throw new IllegalStateException("Foyer exited with status " + this.process.exitValue()
						+ " before it was ready: " + firstError());
			}
			try {
				HttpResponse<String> answer = this.probe.send(readiness, HttpResponse.BodyHandlers.ofString());
				if (answer.statusCode() == 200 && answer.body().contains("\"UP\"")) {
					return System.nanoTime() - started;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			if (System.nanoTime() > deadline) {
				System.err.println(logTail(40));
				throw new IllegalStateException("Foyer was not ready after " + timeout.toSeconds() + " s: " + firstError());
			}
			Thread.sleep(20);
		}
	}

	/** SIGTERM (Spring's graceful shutdown), then after the grace time a kill. Returns the nanoseconds it took. */
	long stop(Duration grace) throws InterruptedException {
		Process p = this.process;
		if (p == null || !p.isAlive()) {
			return 0;
		}
		long begin = System.nanoTime();
		p.destroy();
		if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
			System.err.println("bench: Foyer did not stop within " + grace.toSeconds() + " s; killing it");
			p.destroyForcibly();
			p.waitFor(10, TimeUnit.SECONDS);
		}
		return System.nanoTime() - begin;
	}

	/** SIGKILL, as a crash or an out-of-memory killer would end it: no graceful shutdown, answers in flight are lost. */
	void killAbruptly() throws InterruptedException {
		Process p = this.process;
		if (p != null && p.isAlive()) {
			p.destroyForcibly();
			p.waitFor(10, TimeUnit.SECONDS);
		}
	}

	/** For the shutdown hook: never leaves our child behind, whatever happened. */
	void kill() {
		Process p = this.process;
		if (p != null && p.isAlive()) {
			p.destroy();
			try {
				if (!p.waitFor(15, TimeUnit.SECONDS)) {
					p.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				p.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
	}

	/** A line of /proc/PID/status in KiB: VmRSS (resident now) or VmHWM (peak resident). */
	long procStatusKib(String field) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
				if (line.startsWith(field + ":")) {
					return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		throw new IllegalStateException("No " + field + " in /proc/" + pid() + "/status");
	}

	/** CPU time (user + system) the running server process has used so far, from /proc/PID/stat; 0 if none runs. */
	long cpuMillis() {
		Process p = this.process;
		if (p == null || !p.isAlive()) {
			return 0;
		}
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
			// After "pid (comm) ": state is field 3, utime and stime are fields 14 and 15, in clock ticks.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			return ticks * 1000 / CpuMeter.CLOCK_TICKS;
		}
		catch (IOException | RuntimeException ex) {
			return 0; // it just ended
		}
	}

	/** The server's garbage collections so far: counts and seconds, young and full. */
	record Gc(long young, double youngSeconds, long full, double fullSeconds) {

		Gc minus(Gc before) {
			return new Gc(this.young - before.young, this.youngSeconds - before.youngSeconds, this.full - before.full,
					this.fullSeconds - before.fullSeconds);
		}

		double millis() {
			return (this.youngSeconds + this.fullSeconds) * 1000;
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%d young GCs %.0f ms, %d full GCs %.0f ms", this.young,
					this.youngSeconds * 1000, this.full, this.fullSeconds * 1000);
		}

	}

	/** From {@code jstat -gc PID} (it reads the JVM's perf data; it does not stop or attach to the server). */
	Gc gc() {
		try {
			Process p = new ProcessBuilder(this.java.resolveSibling("jstat").toString(), "-gc", Long.toString(pid()))
				.redirectErrorStream(true)
				.start();
			List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
			if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0 || lines.size() < 2) {
				return null;
			}
			List<String> names = List.of(lines.get(0).trim().split("\\s+"));
			String[] values = lines.get(1).trim().split("\\s+");
			return new Gc(Long.parseLong(values[names.indexOf("YGC")]), Double.parseDouble(values[names.indexOf("YGCT")]),
					Long.parseLong(values[names.indexOf("FGC")]), Double.parseDouble(values[names.indexOf("FGCT")]));
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/** The Java version the server says it runs on ("Starting ... using Java 25.0.1 with PID ..."). */
	String javaVersion() {
		Matcher m = SERVER_JAVA.matcher(logText());
		return m.find() ? m.group(1) : "unknown";
	}

	/** Spring Boot's own "Started ... in X seconds (process running for Y)" of the current run, or null. */
	String startedLine() {
		Matcher m = STARTED.matcher(logText());
		return m.find() ? "Spring Boot: started in " + m.group(1) + " s, process running for " + m.group(2) + " s" : null;
	}

	/** The first ERROR line of the current log, shortened, or a pointer to the log. */
	String firstError() {
		return logText().lines()
			.filter(l -> l.contains(" ERROR "))
			.findFirst()
			.map(l -> l.replaceFirst("^.*? ERROR .*? : ", ""))
			.map(l -> l.length() > 300 ? l.substring(0, 300) + "..." : l)
			.orElse("see " + this.currentLog);
	}

	String logTail(int lines) {
		List<String> all = logText().lines().toList();
		return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
	}

	private String logText() {
		try {
			return this.currentLog == null ? "" : Files.readString(this.currentLog, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private List<String> command() {
		List<String> command = new java.util.ArrayList<>();
		command.add(this.java.toString());
		command.addAll(this.jvmOptions);
		command.add("-jar");
		command.add(this.jar.toString());
		return command;
	}

}
