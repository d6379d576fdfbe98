package dev.foyer.bench;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.foyer.directory.PasswordHashing;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sign-in issue's figures: client_credentials grants/s (RS256, ES256) beside the signing bound measured in the
 * same run, token endpoint p99 at half the peak rate, and end-to-end password logins/s beside the Argon2id bound.
 * Starts Foyer as {@code ./foyer run} does (target/app with its AOT cache and JVM options) on loopback; load comes
 * from wrk (client_credentials) and from this JVM (logins, fixed-rate latency). A measurement, never a test.
 */
public final class ProtocolBenchmark {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final List<String[]> rows = new ArrayList<>();

	private String base;

	private String adminToken;

	private String only = "";

	private long serverPid;

	public static void main(String[] args) throws Exception {
		List<String> options = List.of(args);
		int seconds = options.contains("--quick") ? 8 : 20;
		ProtocolBenchmark benchmark = new ProtocolBenchmark();
		// --only=tokens or --only=logins runs one part, to profile it (docs/benchmarks.md).
		options.stream().filter(o -> o.startsWith("--only=")).findFirst()
			.ifPresent(o -> benchmark.only = o.substring("--only=".length()));
		benchmark.run(seconds);
	}

	private void run(int seconds) throws Exception {
		Path work = Files.createTempDirectory("foyer-protocol-bench-");
		int port = freePort();
		this.base = "http://127.0.0.1:" + port;
		String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(List.of(System.getProperty("foyer.jvmOptions", "").trim().split("\\s+")));
		command.removeIf(String::isBlank);
		command.addAll(List.of("-jar", "target/app/foyer.jar"));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(work.resolve("server.log").toFile());
		builder.environment().keySet().removeIf(k -> k.startsWith("FOYER_") || k.startsWith("SPRING_") || k.startsWith("SERVER_"));
		builder.environment().putAll(Map.of("SERVER_PORT", String.valueOf(port), "FOYER_BASE_URL", "http://localhost:" + port,
				"FOYER_DATA_DIR", work.resolve("data").toString(), "FOYER_BOOTSTRAP_CLIENT_ID", "bench",
				"FOYER_BOOTSTRAP_CLIENT_SECRET", secret, "FOYER_RATE_LIMIT_PER_IP_PER_MINUTE", "1000000",
				"LOGGING_LEVEL_DEV_FOYER_REQUEST", "WARN"));
		Process server = builder.start();
		this.serverPid = server.pid();
		Runtime.getRuntime().addShutdownHook(new Thread(server::destroy));
		try {
			awaitReady(Duration.ofSeconds(60));
			this.adminToken = clientCredentials("admin", "bench", secret).get("access_token").asString();
			measure(seconds);
		}
		finally {
			server.destroy();
			server.waitFor(20, TimeUnit.SECONDS);
		}
		report();
	}

	private void measure(int seconds) throws Exception {
		// Tenants and apps: one RS256 service app, one ES256 service app, one web app with a customer.
		post("/api/v1/tenants", Map.of("id", "bench-rs", "displayName", "Bench RS256"));
		post("/api/v1/tenants", Map.of("id", "bench-es", "displayName", "Bench ES256", "signingAlgorithm", "ES256"));
		JsonNode rs = post("/api/v1/tenants/bench-rs/applications", Map.of("displayName", "Daemon", "type", "service"));
		JsonNode es = post("/api/v1/tenants/bench-es/applications", Map.of("displayName", "Daemon", "type", "service"));
		JsonNode web = post("/api/v1/tenants/bench-rs/applications", Map.of("displayName", "Web", "type", "web",
				"redirectUris", List.of("http://localhost:9/callback")));
		String password = "bench login passphrase";
		for (int i = 0; i < 8; i++) {
			post("/api/v1/tenants/bench-rs/users", Map.of("email", "login" + i + "@bench.example", "password", password));
		}

		if (!this.only.equals("logins")) {
			tokens(rs, es, seconds);
		}
		if (!this.only.equals("tokens")) {
			double hashBound = hashesPerSecond();
			String client = web.get("clientId").asString();
			String clientSecret = web.get("clientSecret").asString();
			// A login touches much more code than a grant: the JIT needs about a minute of them to settle.
			logins(client, clientSecret, password, 4, Math.max(5, seconds * 3));
			Map<String, Long> cpuBefore = threadCpuMillis();
			long[] count = new long[1];
			double logins = logins(client, clientSecret, password, 4, seconds, count);
			Map<String, Long> cpuAfter = threadCpuMillis();
			long total = cpuAfter.values().stream().mapToLong(Long::longValue).sum()
					- cpuBefore.values().stream().mapToLong(Long::longValue).sum();
			StringBuilder split = new StringBuilder();
			cpuAfter.forEach((group, ms) -> {
				long used = ms - cpuBefore.getOrDefault(group, 0L);
				if (used * 20 >= total) {
					split.append(split.isEmpty() ? "" : ", ").append(group).append(' ').append(fmt((double) used / count[0]));
				}
			});
			row("server CPU ms per login, by thread (5% or more)", fmt((double) total / count[0]) + " (" + split + ")",
					"-", "");
			row("Argon2id hashes/s, 2 threads, this JVM (bound)", fmt(hashBound), "-", "");
			row("end-to-end password logins/s (authorize, form, code, token; 4 clients)", fmt(logins),
					">= 0.85 x bound = " + fmt(0.85 * hashBound), logins >= 0.85 * hashBound ? "PASS" : "MISS");
		}
	}

	private void tokens(JsonNode rs, JsonNode es, int seconds) throws Exception {
		// The bounds, measured in this JVM while the server is idle.
		double rsBound = signaturesPerSecond(new RSASSASigner(new RSAKeyGenerator(2048).generate()), JWSAlgorithm.RS256);
		double esBound = signaturesPerSecond(new ECDSASigner(new ECKeyGenerator(Curve.P_256).generate()), JWSAlgorithm.ES256);
		String rsUrl = this.base + "/t/bench-rs/oauth2/token";
		String rsAuth = basic(rs.get("clientId").asString(), rs.get("clientSecret").asString());
		String esUrl = this.base + "/t/bench-es/oauth2/token";
		String esAuth = basic(es.get("clientId").asString(), es.get("clientSecret").asString());
		System.err.println("bench: warming up the token endpoint ...");
		wrk(rsUrl, rsAuth, Math.max(10, seconds));
		wrk(esUrl, esAuth, Math.max(5, seconds / 2));
		double[] rsRun = wrk(rsUrl, rsAuth, seconds);
		double[] esRun = wrk(esUrl, esAuth, seconds);
		row("RS256 signatures/s, 2 threads, this JVM (bound)", fmt(rsBound), "-", "");
		row("client_credentials RS256, grants/s (wrk 2 threads, 16 connections)", fmt(rsRun[0]) + " (p99 " + fmt(rsRun[1]) + " ms)",
				">= 0.75 x bound = " + fmt(0.75 * rsBound), rsRun[0] >= 0.75 * rsBound ? "PASS" : "MISS");
		row("ES256 signatures/s, 2 threads, this JVM (bound)", fmt(esBound), "-", "");
		row("client_credentials ES256 access tokens, grants/s", fmt(esRun[0]) + " (p99 " + fmt(esRun[1]) + " ms)", "-", "");
		double half = rsRun[0] / 2;
		double p99 = fixedRate(rsUrl, rsAuth, half, seconds);
		row("token endpoint p99 at half the RS256 peak (" + fmt(half) + "/s, fixed rate)", fmt(p99) + " ms", "<= 25 ms",
				p99 <= 25 ? "PASS" : "MISS");
	}

	// ---- load -------------------------------------------------------------------------------------------------

	/** wrk against the token endpoint: requests/s and p99 ms. */
	private double[] wrk(String url, String auth, int seconds) throws Exception {
		Path script = Files.createTempFile("cc", ".lua");
		Files.writeString(script, """
				wrk.method = "POST"
				wrk.body = "grant_type=client_credentials"
				wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
				wrk.headers["Authorization"] = "%s"
				""".formatted(auth));
		Process wrk = new ProcessBuilder("wrk", "-t2", "-c16", "-d" + seconds + "s", "--latency", "-s", script.toString(), url)
			.redirectErrorStream(true)
			.start();
		String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		wrk.waitFor();
		Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
		Matcher p99 = Pattern.compile("99%\\s+([0-9.]+)(us|ms|s)").matcher(out);
		if (!rps.find() || !p99.find() || out.contains("Non-2xx")) {
			throw new IllegalStateException("wrk failed:\n" + out);
		}
		double latency = Double.parseDouble(p99.group(1));
		latency = switch (p99.group(2)) {
			case "us" -> latency / 1000;
			case "s" -> latency * 1000;
			default -> latency;
		};
		return new double[] { Double.parseDouble(rps.group(1)), latency };
	}

	/**
	 * Requests at a fixed rate over 32 kept-alive HTTP/1.1 connections, written as raw bytes so that the load
	 * generator stays light beside the server on the shared CPUs (Java's HttpClient cost about as much CPU per
	 * request as the server). Each request has its slot in a fixed schedule and its latency counts from that slot,
	 * so a stalled server shows in the figure instead of slowing the schedule down. Returns the p99 in ms.
	 */
	private double fixedRate(String url, String auth, double perSecond, int seconds) throws Exception {
		int connections = 32;
		URI target = URI.create(url);
		String body = "grant_type=client_credentials";
		byte[] request = ("POST " + target.getRawPath() + " HTTP/1.1\r\nHost: " + target.getHost() + ":" + target.getPort()
				+ "\r\nAuthorization: " + auth + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
				+ body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
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
				try {
					for (long k = connection; k < total; k += connections) {
						long slot = start + k * interval;
						long wait = slot - System.nanoTime();
						if (wait > 0) {
							TimeUnit.NANOSECONDS.sleep(wait);
						}
						if (socket == null) {
							// Tomcat closes a kept-alive connection after 100 requests; a browser or wrk reconnects too.
							socket = new java.net.Socket(target.getHost(), target.getPort());
							socket.setTcpNoDelay(true);
						}
						socket.getOutputStream().write(request);
						socket.getOutputStream().flush();
						String head = readResponse(socket.getInputStream());
						if (!head.startsWith("HTTP/1.1 200")) {
							failed.incrementAndGet();
						}
						latencies[(int) k] = System.nanoTime() - slot;
						if (head.toLowerCase(java.util.Locale.ROOT).contains("connection: close")) {
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
		if (failed.get() > 0) {
			throw new IllegalStateException(failed.get() + " requests failed at the fixed rate");
		}
		long[] sorted = latencies.clone();
		java.util.Arrays.sort(sorted);
		System.err.printf("bench: fixed rate: %d requests at %.1f/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms%n", total,
				perSecond, sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6,
				sorted[sorted.length - 1] / 1e6);
		return sorted[(int) (sorted.length * 0.99)] / 1e6;
	}

	/** Reads one HTTP/1.1 response with a Content-Length body, unbuffered; returns its head. */
	private static String readResponse(java.io.InputStream in) throws IOException {
		byte[] buffer = new byte[16384];
		int filled = 0;
		int headEnd = -1;
		while (headEnd < 0) {
			int read = in.read(buffer, filled, buffer.length - filled);
			if (read < 0) {
				throw new IOException("connection closed");
			}
			filled += read;
			for (int i = Math.max(0, filled - read - 3); i + 3 < filled; i++) {
				if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
					headEnd = i + 4;
					break;
				}
			}
		}
		String head = new String(buffer, 0, headEnd, StandardCharsets.ISO_8859_1);
		Matcher length = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(head);
		if (!length.find()) {
			throw new IOException("no Content-Length in " + head);
		}
		long remaining = Long.parseLong(length.group(1)) - (filled - headEnd);
		in.skipNBytes(remaining);
		return head;
	}

	/** Full browserless logins by {@code clients} concurrent people for {@code seconds}; returns logins/s. */
	private double logins(String clientId, String secret, String password, int clients, int seconds) throws Exception {
		return logins(clientId, secret, password, clients, seconds, new long[1]);
	}

	/** Server CPU milliseconds so far by thread name, numbers stripped (from /proc; Linux only). */
	private Map<String, Long> threadCpuMillis() throws IOException {
		Map<String, Long> byName = new java.util.TreeMap<>();
		long tick = 10; // USER_HZ is 100 on Linux
		try (var tasks = Files.list(Path.of("/proc", String.valueOf(this.serverPid), "task"))) {
			for (Path task : tasks.toList()) {
				try {
					String name = Files.readString(task.resolve("comm")).trim().replaceAll("[-#0-9]+$", "").replaceAll("-\\d+-", "-");
					String stat = Files.readString(task.resolve("stat"));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
					byName.merge(name, ticks * tick, Long::sum);
				}
				catch (IOException | RuntimeException gone) {
					// the thread ended meanwhile
				}
			}
		}
		return byName;
	}

	private double logins(String clientId, String secret, String password, int clients, int seconds, long[] count)
			throws Exception {
		AtomicLong done = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		long end = System.nanoTime() + seconds * 1_000_000_000L;
		long start = System.nanoTime();
		try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int c = 0; c < clients; c++) {
				int person = c;
				executor.submit(() -> {
					// One browser per person, as a real one keeps its connections; cookies cleared between logins.
					CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
					HttpClient browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
						.followRedirects(HttpClient.Redirect.NEVER).build();
					while (System.nanoTime() < end) {
						try {
							cookies.getCookieStore().removeAll();
							login(browser, clientId, secret, "login" + person + "@bench.example", password);
							done.incrementAndGet();
						}
						catch (Exception ex) {
							failed.incrementAndGet();
						}
					}
					return null;
				});
			}
		}
		if (failed.get() > 0) {
			System.err.println("bench: " + failed.get() + " logins failed");
		}
		count[0] = done.get();
		return done.get() / ((System.nanoTime() - start) / 1e9);
	}

	private void login(HttpClient browser, String clientId, String secret, String email, String password)
			throws Exception {
		String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
		String challenge = Base64.getUrlEncoder().withoutPadding()
			.encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
		String redirect = "http://localhost:9/callback";
		String authorize = this.base.replace("127.0.0.1", "localhost") + "/t/bench-rs/oauth2/authorize?response_type=code&client_id="
				+ clientId + "&scope=openid&state=s&redirect_uri=" + enc(redirect) + "&code_challenge=" + challenge
				+ "&code_challenge_method=S256";
		HttpResponse<String> toLogin = browser.send(HttpRequest.newBuilder(URI.create(authorize)).build(),
				HttpResponse.BodyHandlers.ofString());
		String loginUrl = absolute(toLogin.headers().firstValue("Location").orElseThrow());
		String page = browser.send(HttpRequest.newBuilder(URI.create(loginUrl)).build(), HttpResponse.BodyHandlers.ofString()).body();
		String flow = field(page, "flow");
		String csrf = field(page, "csrf");
		HttpResponse<String> posted = browser.send(HttpRequest.newBuilder(URI.create(this.base.replace("127.0.0.1", "localhost")
				+ "/t/bench-rs/login")).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("flow=" + flow + "&csrf=" + enc(csrf) + "&email=" + enc(email)
					+ "&password=" + enc(password)))
			.build(), HttpResponse.BodyHandlers.ofString());
		String back = absolute(posted.headers().firstValue("Location").orElseThrow());
		HttpResponse<String> code = browser.send(HttpRequest.newBuilder(URI.create(back)).build(), HttpResponse.BodyHandlers.ofString());
		String location = code.headers().firstValue("Location").orElseThrow();
		Matcher found = Pattern.compile("[?&]code=([^&]+)").matcher(location);
		if (!found.find()) {
			throw new IllegalStateException("no code in " + location);
		}
		HttpResponse<String> tokens = HTTP.send(HttpRequest.newBuilder(URI.create(this.base + "/t/bench-rs/oauth2/token"))
			.header("Authorization", basic(clientId, secret))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=" + found.group(1) + "&redirect_uri="
					+ enc(redirect) + "&code_verifier=" + verifier))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (tokens.statusCode() != 200) {
			throw new IllegalStateException("token exchange " + tokens.statusCode());
		}
	}

	// ---- bounds -----------------------------------------------------------------------------------------------

	private static double signaturesPerSecond(JWSSigner signer, JWSAlgorithm algorithm) throws Exception {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://bench").subject("bench")
			.claim("client_id", "bench").expirationTime(java.util.Date.from(Instant.now().plusSeconds(3600))).build();
		return perSecond(() -> {
			SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
			jwt.sign(signer);
		}, 5);
	}

	private static double hashesPerSecond() throws Exception {
		var encoder = PasswordHashing.argon2();
		return perSecond(() -> encoder.encode("bench password"), 6);
	}

	interface Work {

		void run() throws Exception;

	}

	/** Operations/s on 2 threads after a warm-up, as many cores as the server has. */
	private static double perSecond(Work work, int seconds) throws Exception {
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

	// ---- plumbing ---------------------------------------------------------------------------------------------

	private JsonNode post(String path, Object body) throws Exception {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Authorization", "Bearer " + this.adminToken)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() >= 300) {
			throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
		}
		return JSON.readTree(response.body());
	}

	private JsonNode clientCredentials(String tenant, String id, String secret) throws Exception {
		return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(this.base + "/t/" + tenant + "/oauth2/token"))
			.header("Authorization", basic(id, secret))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
			.build(), HttpResponse.BodyHandlers.ofString()).body());
	}

	private void awaitReady(Duration timeout) throws Exception {
		long end = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < end) {
			try {
				if (HTTP.send(HttpRequest.newBuilder(URI.create(this.base + "/actuator/health/readiness")).build(),
						HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(50);
		}
		throw new IllegalStateException("Foyer did not become ready");
	}

	private String absolute(String location) {
		return location.startsWith("http") ? location : this.base.replace("127.0.0.1", "localhost") + location;
	}

	private static String field(String html, String name) {
		Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(html);
		if (!m.find()) {
			throw new IllegalStateException("no " + name + " on the sign-in page");
		}
		return m.group(1);
	}

	private static String basic(String id, String secret) {
		return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static byte[] random(int bytes) {
		byte[] out = new byte[bytes];
		new SecureRandom().nextBytes(out);
		return out;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static String fmt(double value) {
		return String.format("%,.1f", value);
	}

	private void row(String figure, String measured, String target, String result) {
		this.rows.add(new String[] { figure, measured, target, result });
		System.err.println("bench: " + figure + ": " + measured);
	}

	private void report() throws IOException {
		StringBuilder md = new StringBuilder("# Foyer sign-in benchmark\n\n- Date: " + Instant.now() + "\n- JDK: "
				+ System.getProperty("java.version") + "\n- Machine: " + Runtime.getRuntime().availableProcessors()
				+ " cores\n- Server: ./foyer jvm-options, target/app/foyer.jar, embedded H2, loopback\n\n"
				+ "| Figure | Measured | Target | Result |\n|---|---:|---:|:---:|\n");
		for (String[] row : this.rows) {
			md.append("| ").append(String.join(" | ", row)).append(" |\n");
		}
		Files.writeString(Path.of("target/bench-protocol.md"), md.toString());
		System.out.println(md);
	}

}
