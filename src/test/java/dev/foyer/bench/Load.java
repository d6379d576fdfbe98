package dev.foyer.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.foyer.directory.PasswordHashing;
import dev.foyer.keys.OpenSsl;
import dev.foyer.support.Person;

/**
 * The load the benchmarks drive, shared by the sign-in benchmark and the comparison with Keycloak: wrk runs with
 * their latency percentiles, a fixed-rate generator of raw HTTP/1.1 requests, browserless logins and sign-ups, the
 * bounds (signatures/s, Argon2id hashes/s) and a server process's CPU and memory from /proc.
 */
final class Load {

	static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private Load() {
	}

	/**
	 * One measured run: requests/s, latency percentiles in ms, requests done and failed, and how many of the failed
	 * were only late: wrk gives up on an answer after 2 s, and counts such a request in {@code errors} and
	 * {@code timeouts}, not in the percentiles.
	 */
	record Run(double perSecond, double p50, double p95, double p99, long requests, long errors, long timeouts) {

		Run(double perSecond, double p50, double p95, double p99, long requests, long errors) {
			this(perSecond, p50, p95, p99, requests, errors, 0);
		}

	}

	// ---- wrk --------------------------------------------------------------------------------------------------

	/** A wrk script for one fixed request; {@code body} null for a GET. */
	static String request(String method, String body, Map<String, String> headers) {
		StringBuilder lua = new StringBuilder("wrk.method = \"" + method + "\"\n");
		if (body != null) {
			lua.append("wrk.body = \"").append(body).append("\"\n");
		}
		headers.forEach((name, value) -> lua.append("wrk.headers[\"").append(name).append("\"] = \"").append(value)
			.append("\"\n"));
		return lua.toString();
	}

	/**
	 * A wrk script for refresh-token rotation chains: each of wrk's threads takes its share of the tokens in
	 * {@code tokens} (one per line) and always presents the newest token of a chain, as a real client does; a server
	 * that rotates refresh tokens and revokes a family on reuse sees no reuse.
	 */
	static String refreshChains(Path tokens, int threads, String basicAuth) {
		return """
				local counter = 0
				function setup(thread)
				  thread:set("id", counter)
				  counter = counter + 1
				end
				local chains = {}
				function init(args)
				  local i = 0
				  for line in io.lines("%s") do
				    if i %% %d == id then table.insert(chains, line) end
				    i = i + 1
				  end
				end
				function request()
				  local token = table.remove(chains, 1) or "exhausted"
				  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded",
				    ["Authorization"] = "%s"}, "grant_type=refresh_token&refresh_token=" .. token)
				end
				function response(status, headers, body)
				  local token = string.match(body, '"refresh_token"%%s*:%%s*"([^"]+)"')
				  if token then table.insert(chains, token) end
				end
				""".formatted(tokens, threads, basicAuth);
	}

	/** The percentiles and error counts wrk prints at the end of every run we start. */
	private static final String DONE = """
			function done(summary, latency, requests)
			  io.write(string.format("BENCH %%d %%d %%d %%d %%d %%d\\n", latency:percentile(50), latency:percentile(95),
			    latency:percentile(99), summary.requests, summary.errors.status + summary.errors.connect
			    + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.timeout))
			end
			""".formatted();

	/** wrk with 2 threads and {@code connections} connections for {@code seconds}. */
	static Run wrk(String url, String script, int connections, int seconds) throws IOException, InterruptedException {
		Path file = Files.createTempFile("bench", ".lua");
		Files.writeString(file, script + "\n" + DONE);
		try {
			Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "-s", file.toString(), url)
				.redirectErrorStream(true)
				.start();
			String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			wrk.waitFor();
			Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
			Matcher summary = Pattern.compile("BENCH (\\d+) (\\d+) (\\d+) (\\d+) (\\d+) (\\d+)").matcher(out);
			if (!rps.find() || !summary.find()) {
				throw new IllegalStateException("wrk failed:\n" + out);
			}
			return new Run(Double.parseDouble(rps.group(1)), Long.parseLong(summary.group(1)) / 1000.0,
					Long.parseLong(summary.group(2)) / 1000.0, Long.parseLong(summary.group(3)) / 1000.0,
					Long.parseLong(summary.group(4)), Long.parseLong(summary.group(5)), Long.parseLong(summary.group(6)));
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	// ---- fixed rate -------------------------------------------------------------------------------------------

	/**
	 * Requests at a fixed rate over 32 kept-alive HTTP/1.1 connections, written as raw bytes so that the load
	 * generator stays light beside the server on the shared CPUs (Java's HttpClient cost about as much CPU per
	 * request as the server). Each request has its slot in a fixed schedule and its latency counts from that slot,
	 * so a stalled server shows in the figure instead of slowing the schedule down.
	 */
	static Run fixedRate(String url, String authorization, String formBody, double perSecond, int seconds)
			throws InterruptedException {
		int connections = 32;
		URI target = URI.create(url);
		byte[] request = ("POST " + target.getRawPath() + " HTTP/1.1\r\nHost: " + target.getHost() + ":" + target.getPort()
				+ "\r\nAuthorization: " + authorization + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
				+ formBody.length() + "\r\n\r\n" + formBody).getBytes(StandardCharsets.US_ASCII);
		long interval = (long) (1e9 / perSecond);
		long total = (long) (perSecond * seconds);
		long start = System.nanoTime() + 100_000_000L;
		long[] latencies = new long[(int) total];
		AtomicLong failed = new AtomicLong();
		List<Thread> threads = new ArrayList<>();
		for (int c = 0; c < connections; c++) {
			int connection = c;
			threads.add(Thread.ofPlatform().start(() -> {
				java.net.Socket socket = null;
				InputStream in = null;
				try {
					for (long k = connection; k < total; k += connections) {
						long slot = start + k * interval;
						long wait = slot - System.nanoTime();
						if (wait > 0) {
							TimeUnit.NANOSECONDS.sleep(wait);
						}
						if (socket == null) {
							// Servers close kept-alive connections now and then (Tomcat after 100 requests); so do browsers.
							socket = new java.net.Socket(target.getHost(), target.getPort());
							socket.setTcpNoDelay(true);
							in = new java.io.BufferedInputStream(socket.getInputStream(), 16384);
						}
						socket.getOutputStream().write(request);
						socket.getOutputStream().flush();
						RawHttp.Response answer = RawHttp.read(in, false);
						if (answer.status() != 200) {
							failed.incrementAndGet();
						}
						latencies[(int) k] = System.nanoTime() - slot;
						if (answer.closes()) {
							socket.close();
							socket = null;
						}
					}
				}
				catch (IOException | InterruptedException ex) {
					System.err.println("bench: fixed rate: " + ex);
					failed.incrementAndGet();
				}
				finally {
					if (socket != null) {
						try {
							socket.close();
						}
						catch (IOException ignored) {
							// done anyway
						}
					}
				}
			}));
		}
		for (Thread thread : threads) {
			thread.join();
		}
		long[] sorted = latencies.clone();
		Arrays.sort(sorted);
		Run run = new Run(perSecond, percentileMillis(sorted, 0.50), percentileMillis(sorted, 0.95),
				percentileMillis(sorted, 0.99), total, failed.get());
		System.err.printf("bench: fixed rate: %d requests at %.1f/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms, %d failed%n", total,
				perSecond, run.p50(), run.p99(), sorted[sorted.length - 1] / 1e6, failed.get());
		return run;
	}

	private static double percentileMillis(long[] sortedNanos, double p) {
		return sortedNanos.length == 0 ? 0 : sortedNanos[Math.min(sortedNanos.length - 1, (int) (sortedNanos.length * p))] / 1e6;
	}

	// ---- logins -----------------------------------------------------------------------------------------------

	/** One server's browserless login: authorize, its sign-in form, the redirect with the code, the code exchange. */
	interface LoginFlow {

		/** Signs {@code email} in, with a fresh cookie jar, over {@code browser}; returns the token response. */
		String login(HttpClient browser, String email, String password) throws Exception;

	}

	/** A browser without a browser, for one client of the load: its cookies are kept by a {@link Person} on it. */
	static HttpClient browser() {
		return new RawHttp();
	}

	/** Logins done in a run, with their latencies. */
	record Logins(Run run, long count) {
	}

	/** {@code clients} people signing in over and over for {@code seconds}, each with their own browser. */
	static Logins logins(LoginFlow flow, List<String> emails, String password, int clients, int seconds)
			throws InterruptedException {
		Run run = repeated("login", clients, seconds,
				(browser, client) -> flow.login(browser, emails.get(client % emails.size()), password));
		return new Logins(run, run.requests());
	}

	/**
	 * One server's sign-up without a browser: from the app's authorization request through the hosted pages and the
	 * address proven by what was mailed to it, to the code exchange.
	 */
	interface SignUpFlow {

		/** Signs {@code newcomer} up, with a fresh cookie jar, over {@code browser}; returns the token response. */
		String signUp(HttpClient browser, Person.Newcomer newcomer) throws Exception;

	}

	/** {@code clients} browsers signing new people up over and over for {@code seconds}, a fresh one each time. */
	static Run signUps(SignUpFlow flow, Supplier<Person.Newcomer> newcomers, int clients, int seconds)
			throws InterruptedException {
		return repeated("sign-up", clients, seconds, (browser, client) -> flow.signUp(browser, newcomers.get()));
	}

	/** What one client of {@link #repeated} does each time, with its browser. */
	private interface Attempt {

		void run(HttpClient browser, int client) throws Exception;

	}

	/** {@code clients} clients, each with their own browser, making attempts one after the other for {@code seconds}. */
	private static Run repeated(String what, int clients, int seconds, Attempt attempt) throws InterruptedException {
		AtomicLong failed = new AtomicLong();
		ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
		long end = System.nanoTime() + seconds * 1_000_000_000L;
		long start = System.nanoTime();
		// Platform threads: a handful of clients, each blocking in its socket's read, with no poller between them.
		try (var executor = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
			for (int c = 0; c < clients; c++) {
				int client = c;
				executor.submit(() -> {
					try (HttpClient browser = browser()) {
						while (System.nanoTime() < end) {
							long begin = System.nanoTime();
							try {
								attempt.run(browser, client);
								latencies.add(System.nanoTime() - begin);
							}
							catch (Exception ex) {
								if (failed.incrementAndGet() <= 3) {
									System.err.println("bench: " + what + " failed: " + ex);
								}
							}
						}
					}
					return null;
				});
			}
		}
		double wall = (System.nanoTime() - start) / 1e9;
		long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
		return new Run(sorted.length / wall, percentileMillis(sorted, 0.50), percentileMillis(sorted, 0.95),
				percentileMillis(sorted, 0.99), sorted.length, failed.get());
	}

	/** A PKCE verifier and its S256 challenge. */
	record Pkce(String verifier, String challenge) {

		static Pkce create() throws Exception {
			String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
			String challenge = Base64.getUrlEncoder().withoutPadding()
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
			return new Pkce(verifier, challenge);
		}

	}

	/** The code in a redirect to the app, or a failure saying where the flow went instead. */
	static String code(HttpResponse<String> redirect) {
		String location = redirect.headers().firstValue("Location").orElse("");
		Matcher found = Pattern.compile("[?&]code=([^&]+)").matcher(location);
		if (!found.find()) {
			throw new IllegalStateException("no code in the redirect (" + redirect.statusCode() + " " + location + ")");
		}
		return found.group(1);
	}

	/** Exchanges a code at the token endpoint with client_secret_basic and PKCE; returns the token response. */
	static String exchange(HttpClient http, String tokenUrl, String clientId, String secret, String code, String redirectUri,
			Pkce pkce) throws IOException, InterruptedException {
		HttpResponse<String> tokens = http.send(HttpRequest.newBuilder(URI.create(tokenUrl))
			.header("Authorization", basic(clientId, secret))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=" + code + "&redirect_uri="
					+ enc(redirectUri) + "&code_verifier=" + pkce.verifier()))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (tokens.statusCode() != 200) {
			throw new IllegalStateException("token exchange " + tokens.statusCode() + ": " + tokens.body());
		}
		return tokens.body();
	}

	// ---- bounds -----------------------------------------------------------------------------------------------

	/** Signatures/s of this key on 2 threads in this JVM: the bound of a signing endpoint on 2 cores. */
	static double signaturesPerSecond(JWSSigner signer, JWSAlgorithm algorithm) throws Exception {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://bench").subject("bench")
			.claim("client_id", "bench").expirationTime(java.util.Date.from(Instant.now().plusSeconds(3600))).build();
		return perSecond(() -> {
			SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
			jwt.sign(signer);
		}, 5);
	}

	/**
	 * RS256 signatures/s on 2 threads with the signer Foyer gives a key, made as Foyer makes a tenant's: the system's
	 * OpenSSL where this JVM can call it ({@link OpenSsl}), else the JDK's. The bound of Foyer's token endpoint.
	 */
	static double foyerRs256Bound() throws Exception {
		OpenSsl signers = OpenSsl.forSetting("auto");
		return signaturesPerSecond(signers.signer(signers.generateRsa(2048, "bench", JWSAlgorithm.RS256)), JWSAlgorithm.RS256);
	}

	/** RS256 signatures/s on 2 threads with the JDK's RSA, which Keycloak signs with. */
	static double jdkRs256Bound() throws Exception {
		return signaturesPerSecond(new RSASSASigner(new RSAKeyGenerator(2048).generate()), JWSAlgorithm.RS256);
	}

	/** Argon2id hashes/s at Foyer's parameters (19 MiB, 2 iterations, 1 lane) on 2 threads: the bound of logins. */
	static double hashesPerSecond() throws Exception {
		var encoder = PasswordHashing.argon2();
		return perSecond(() -> encoder.encode("bench password"), 6);
	}

	interface Work {

		void run() throws Exception;

	}

	/** Operations/s on 2 threads after a warm-up, as many cores as the server has. */
	static double perSecond(Work work, int seconds) throws Exception {
		for (int warm = 0; warm < 2; warm++) {
			long until = System.nanoTime() + 2_000_000_000L;
			while (System.nanoTime() < until) {
				work.run();
			}
		}
		AtomicLong count = new AtomicLong();
		long end = System.nanoTime() + seconds * 1_000_000_000L;
		long start = System.nanoTime();
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 2; t++) {
			threads.add(Thread.ofPlatform().start(() -> {
				try {
					while (System.nanoTime() < end) {
						work.run();
						count.incrementAndGet();
					}
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}));
		}
		for (Thread thread : threads) {
			thread.join();
		}
		return count.get() / ((System.nanoTime() - start) / 1e9);
	}

	// ---- the server process -----------------------------------------------------------------------------------

	/** CPU milliseconds (user + system) the process has used so far, from /proc (Linux). */
	static long cpuMillis(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10; // USER_HZ is 100
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read the CPU time of process " + pid, ex);
		}
	}

	/** Resident memory of the process in KiB. */
	static long rssKib(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
			throw new IllegalStateException("no VmRSS for process " + pid);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read the memory of process " + pid, ex);
		}
	}

	/** Server CPU milliseconds so far by thread name, numbers stripped (from /proc; Linux only). */
	static Map<String, Long> threadCpuMillis(long pid) throws IOException {
		Map<String, Long> byName = new TreeMap<>();
		try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
			for (Path task : tasks.toList()) {
				try {
					String name = Files.readString(task.resolve("comm")).trim().replaceAll("[-#0-9]+$", "").replaceAll("-\\d+-", "-");
					String stat = Files.readString(task.resolve("stat"));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					byName.merge(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10, Long::sum);
				}
				catch (IOException | RuntimeException gone) {
					// the thread ended meanwhile
				}
			}
		}
		return byName;
	}

	/** Of two {@link #threadCpuMillis} readings of a Foyer server, the CPU milliseconds its password hashers used between. */
	static long hashingMillis(Map<String, Long> before, Map<String, Long> after) {
		return after.entrySet().stream().filter(e -> e.getKey().startsWith("password-hash"))
			.mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L))
			.sum();
	}

	/**
	 * PASS or MISS against a bound measured before and after; inconclusive when those two differ by more than a
	 * fifth: the machine's speed changed during the run by more than a target's margin.
	 */
	static String verdict(boolean met, double boundBefore, double boundAfter) {
		double moved = Math.max(boundBefore, boundAfter) / Math.min(boundBefore, boundAfter) - 1;
		return (met ? "PASS" : "MISS") + (moved > 0.2
				? String.format(Locale.ROOT, " (inconclusive: the bound moved by %.0f%% during the run)", moved * 100) : "");
	}

	// ---- small things -----------------------------------------------------------------------------------------

	static String basic(String id, String secret) {
		return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
	}

	static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	static byte[] random(int bytes) {
		byte[] out = new byte[bytes];
		new SecureRandom().nextBytes(out);
		return out;
	}

	static String fmt(double value) {
		return String.format("%,.1f", value);
	}

}
