package dev.foyer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.foyer.cluster.Cluster.Node;
import dev.foyer.support.Api;
import dev.foyer.support.Person;
import dev.foyer.support.Person.Tokens;
import dev.foyer.support.Person.WebApp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;

/**
 * Three Foyer nodes on one PostgreSQL database, each request sent to the node the test names: a sign-in crosses
 * nodes; a change made through one node's admin API reaches the others' caches within a second (and had not before
 * it was made); housekeeping runs on one node per interval; and a node stopped under load loses nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManyNodesTest {

	/** The bound for a change on one node to take effect on the others. */
	static final Duration WITHIN = Duration.ofSeconds(1);

	static final Duration HOUSEKEEPING = Duration.ofMillis(500);

	static final String PASSWORD = "correct horse battery staple";

	static Cluster cluster;

	static long housekeepingSince;

	static double housekeepingRunsBefore;

	static final List<String> delays = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void start() throws Exception {
		cluster = new Cluster(3, "foyer.housekeeping.interval=PT0.5S", "foyer.housekeeping.initial-delay=PT0S",
				"foyer.rate-limit.per-ip-per-minute=100000");
		housekeepingSince = System.nanoTime();
		for (Node node : cluster.nodes) {
			housekeepingRunsBefore += housekeepingRuns(node);
		}
	}

	@AfterAll
	static void stop() {
		if (cluster != null) {
			cluster.close();
		}
		System.out.println("Changes made on node 1 seen on node 2 after: " + delays);
	}

	@Test
	@Order(1)
	void aSignInStartedOnOneNodeFinishesOnAnotherAndRefreshesOnAThird() throws Exception {
		String tenant = node(1).api().newTenant("nodes");
		WebApp app = webApp(tenant);
		user(tenant, "ada@example.com");
		Person ada = new Person();

		Tokens tokens = ada.signIn(app, "ada@example.com", PASSWORD, node(1).origin(), node(2).origin());
		assertThat(tokens.status()).isEqualTo(200);
		assertThat(tokens.json().get("id_token")).isNotNull();

		Tokens refreshed = Person.refresh(app, node(3).origin(), tokens.refreshToken());
		assertThat(refreshed.status()).isEqualTo(200);
		assertThat(userInfo(node(1), tenant, refreshed.accessToken())).isEqualTo(200);

		// The session started on node 2 signs the person in on node 3 without the form.
		HttpResponse<String> again = ada.get(node(3).origin(), Person.authorize(app, app.redirectUri(), Person.challenge(Person.random())));
		assertThat(again.statusCode()).isEqualTo(302);
		assertThat(Person.location(again)).startsWith(app.redirectUri() + "?code=");

		// The sign-in posted to node 2 is in the sign-in log that node 1 reads, within a second.
		within("sign-in log entry of node 2 read through node 1", () -> node(1).api()
			.get("/api/v1/tenants/" + tenant + "/auditLogs/signIns?outcome=success")
			.json()
			.get("items")
			.size() == 1);
	}

	@Test
	@Order(2)
	void aKeyRotationReachesTheOtherNodesWithinASecond() {
		String tenant = node(1).api().newTenant("keys");
		JsonNode service = serviceApp(tenant);
		String before = kid(grant(node(2), tenant, service.get("clientId").asString(), service.get("clientSecret").asString()));

		JsonNode rotated = node(1).api().post("/api/v1/tenants/" + tenant + "/keys/rotate", Map.of()).json().get("items");
		String current = keyOf(rotated, "RS256", "current");
		String next = keyOf(rotated, "RS256", "next");
		assertThat(current).isNotEqualTo(before);

		within("key rotation: node 2 signs with the new key", () -> current.equals(kid(grant(node(2), tenant,
				service.get("clientId").asString(), service.get("clientSecret").asString()))));
		within("key rotation: node 2 publishes the new next key", () -> node(2).api()
			.get("/t/" + tenant + "/oauth2/jwks", null).text().contains(next));
	}

	@Test
	@Order(3)
	void anAppChangeReachesTheOtherNodesWithinASecond() {
		String tenant = node(1).api().newTenant("apps");
		String kept = cluster.baseUrl + "/kept";
		String removed = cluster.baseUrl + "/removed";
		JsonNode web = node(1).api().post("/api/v1/tenants/" + tenant + "/applications",
				Map.of("displayName", "Web", "type", "web", "redirectUris", List.of(kept, removed))).json();
		WebApp app = new WebApp(tenant, web.get("clientId").asString(), web.get("clientSecret").asString(), kept);
		String authorize = Person.authorize(app, removed, "x".repeat(43));
		// Accepted: nobody is signed in, so the answer is the sign-in page.
		assertThat(node(2).api().get(authorize, null).status()).isEqualTo(200);

		assertThat(node(1).api().patch("/api/v1/tenants/" + tenant + "/applications/" + web.get("id").asString(),
				Map.of("redirectUris", List.of(kept))).status()).isEqualTo(200);
		within("redirect URI removed", () -> node(2).api().get(authorize, null).status() == 400);

		JsonNode service = serviceApp(tenant);
		String path = "/api/v1/tenants/" + tenant + "/applications/" + service.get("id").asString() + "/secrets";
		JsonNode second = node(1).api().post(path, Map.of("displayName", "second")).json();
		String clientId = service.get("clientId").asString();
		assertThat(node(2).api().clientCredentials(tenant, clientId, second.get("secret").asString()).status()).isEqualTo(200);

		assertThat(node(1).api().delete(path + "/" + second.get("id").asString()).status()).isEqualTo(204);
		within("client secret removed", () -> node(2).api().clientCredentials(tenant, clientId, second.get("secret").asString())
			.status() == 401);
		assertThat(node(2).api().clientCredentials(tenant, clientId, service.get("clientSecret").asString()).status())
			.isEqualTo(200);

		// The app's tokens revoked through node 1 stop at node 2's admin API: the app holds no role, so 403 before
		// (the token is good) and 401 after (it is not).
		String token = node(2).api().clientCredentials(tenant, clientId, service.get("clientSecret").asString()).json()
			.get("access_token").asString();
		String apps = "/api/v1/tenants/" + tenant + "/applications";
		assertThat(node(2).api().get(apps, token).status()).isEqualTo(403);
		assertThat(node(1).api().post(apps + "/" + service.get("id").asString() + "/revokeTokens", Map.of()).status())
			.isEqualTo(200);
		within("app's tokens revoked", () -> node(2).api().get(apps, token).status() == 401);
	}

	@Test
	@Order(3)
	void anAttributeDeclarationReachesTheOtherNodesWithinASecond() {
		String tenant = node(1).api().newTenant("attrs");
		String attributes = "/api/v1/tenants/" + tenant + "/attributes";
		String users = "/api/v1/tenants/" + tenant + "/users";
		// Node 2 reads the tenant's (empty) declarations into memory, then node 1 declares one.
		assertThat(node(2).api().get(attributes).json().get("items")).isEmpty();
		assertThat(node(1).api().post(attributes, Map.of("name", "newsletter", "dataType", "boolean")).status())
			.isEqualTo(201);
		within("attribute declared", () -> node(2).api().post(users, Map.of("email", "n" + System.nanoTime()
				+ "@example.com", "attributes", Map.of("newsletter", true))).status() == 201);
		assertThat(node(1).api().delete(attributes + "/newsletter").status()).isEqualTo(204);
		within("attribute removed", () -> node(2).api().post(users, Map.of("email", "n" + System.nanoTime()
				+ "@example.com", "attributes", Map.of("newsletter", true))).status() == 400);
	}

	@Test
	@Order(3)
	void aUserFlowChangeReachesTheOtherNodesWithinASecond() {
		String tenant = node(1).api().newTenant("flows");
		String flows = "/api/v1/tenants/" + tenant + "/userFlows";
		// Node 2 reads the tenant's (no) flows into memory, then node 1 adds one and renames it.
		assertThat(node(2).api().get(flows).json().get("items")).isEmpty();
		String id = node(1).api().post(flows, Map.of("displayName", "First", "isDefault", true)).json().get("id").asString();
		within("user flow created", () -> node(2).api().get(flows).json().get("items").size() == 1);
		assertThat(node(1).api().patch(flows + "/" + id, Map.of("displayName", "Renamed")).status()).isEqualTo(200);
		within("user flow changed", () -> node(2).api().get(flows + "/" + id).json().get("displayName").asString()
			.equals("Renamed"));
	}

	@Test
	@Order(3)
	void anAppRoleChangeReachesTheOtherNodesWithinASecond() {
		String tenant = node(1).api().newTenant("roles");
		String apps = "/api/v1/tenants/" + tenant + "/applications";
		JsonNode daemon = serviceApp(tenant);
		String clientId = daemon.get("clientId").asString();
		String secret = daemon.get("clientSecret").asString();
		JsonNode orders = serviceApp(tenant);
		String ordersBase = apps + "/" + orders.get("id").asString();
		JsonNode roles = node(1).api().patch(ordersBase, Map.of("appRoles", List.of(
				Map.of("value", "Orders.Read", "displayName", "Read", "allowedMemberTypes", List.of("Application")),
				Map.of("value", "Orders.Write", "displayName", "Write", "allowedMemberTypes", List.of("Application")))))
			.json().get("appRoles");
		String scope = "api://" + orders.get("clientId").asString() + "/.default";
		node(1).api().post(ordersBase + "/appRoleAssignedTo", Map.of("principalType", "ServicePrincipal", "principalId",
				daemon.get("id").asString(), "appRoleId", roles.get(0).get("id").asString()));
		assertThat(roles(node(2), tenant, clientId, secret, scope)).containsExactly("Orders.Read");

		// The service's client on node 2 holds its roles in memory.
		node(1).api().post(ordersBase + "/appRoleAssignedTo", Map.of("principalType", "ServicePrincipal", "principalId",
				daemon.get("id").asString(), "appRoleId", roles.get(1).get("id").asString()));
		within("app role given to a service", () -> roles(node(2), tenant, clientId, secret, scope).size() == 2);

		// The API's client on node 2 holds its role definitions.
		assertThat(node(1).api().patch(ordersBase, Map.of("appRoles", List.of(roles.get(1)))).status()).isEqualTo(200);
		within("app role taken from the API", () -> roles(node(2), tenant, clientId, secret, scope).equals(List.of("Orders.Write")));

		// With the last of them gone, the service holds nothing of the API and may no longer ask for it.
		assertThat(node(1).api().patch(ordersBase, Map.of("appRoles", List.of())).status()).isEqualTo(200);
		within("last app role taken from the API", () -> node(2).api().clientCredentials(tenant, clientId, secret, scope)
			.status() == 400);
	}

	static List<String> roles(Node node, String tenant, String clientId, String secret, String scope) {
		Api.Response answer = node.api().clientCredentials(tenant, clientId, secret, scope);
		assertThat(answer.status()).isEqualTo(200);
		JsonNode roles = part(answer.json().get("access_token").asString(), 1).get("roles");
		List<String> values = new ArrayList<>();
		if (roles != null) {
			roles.forEach(role -> values.add(role.asString()));
		}
		return values;
	}

	@Test
	@Order(4)
	void aBlockedAccountStopsOnEveryNode() throws Exception {
		String tenant = node(1).api().newTenant("blocked");
		WebApp app = webApp(tenant);
		String id = user(tenant, "bob@example.com");
		Person bob = new Person();
		Tokens tokens = bob.signIn(app, "bob@example.com", PASSWORD, node(1).origin(), node(2).origin());
		assertThat(userInfo(node(3), tenant, tokens.accessToken())).isEqualTo(200);
		Tokens refreshed = Person.refresh(app, node(2).origin(), tokens.refreshToken());
		assertThat(refreshed.status()).isEqualTo(200);
		// The refresh replaced the access token that node 3 holds in memory; it stays valid until it expires.
		assertThat(userInfo(node(3), tenant, tokens.accessToken())).isEqualTo(200);
		String sso = Person.authorize(app, app.redirectUri(), Person.challenge(Person.random()));
		assertThat(Person.location(bob.get(node(3).origin(), sso))).startsWith(app.redirectUri());
		assertThat(userInfo(node(3), tenant, refreshed.accessToken())).isEqualTo(200);

		assertThat(node(1).api().patch("/api/v1/tenants/" + tenant + "/users/" + id, Map.of("accountEnabled", false)).status())
			.isEqualTo(200);

		// No waiting: accounts are read from the database on every refresh, session look-up and sign-in.
		assertThat(Person.refresh(app, node(2).origin(), refreshed.refreshToken()).status()).isEqualTo(400);
		// userinfo answers an access token in use from memory: node 3 hears of the change within a second.
		within("blocked account's access token at userinfo",
				() -> userInfoStatus(node(3), tenant, refreshed.accessToken()) == 401);
		within("blocked account's replaced access token at userinfo",
				() -> userInfoStatus(node(3), tenant, tokens.accessToken()) == 401);
		// Bob's session ended with the block: node 3 answers the authorization request with the sign-in page.
		HttpResponse<String> signInAgain = bob.get(node(3).origin(), sso);
		assertThat(signInAgain.statusCode()).isEqualTo(200);
		assertThat(signInAgain.body()).contains("action=\"/t/" + tenant + "/login\"");
		Person again = new Person();
		HttpResponse<String> page = again.get(node(3).origin(), sso);
		HttpResponse<String> refused = again.post(node(2).origin(), "/t/" + tenant + "/login", Map.of("flow",
				Person.field(page.body(), "flow"), "csrf", Person.field(page.body(), "csrf"), "email", "bob@example.com",
				"password", PASSWORD));
		assertThat(refused.statusCode()).isEqualTo(200);
		assertThat(refused.body()).contains("This account is blocked");
	}

	@Test
	@Order(5)
	void aTenantChangeAndDeletionReachTheOtherNodesWithinASecond() {
		String tenant = node(1).api().newTenant("tenant");
		JsonNode service = serviceApp(tenant);
		String clientId = service.get("clientId").asString();
		String secret = service.get("clientSecret").asString();
		assertThat(lifetime(grant(node(2), tenant, clientId, secret))).isEqualTo(3600);

		assertThat(node(1).api().patch("/api/v1/tenants/" + tenant, Map.of("tokenPolicy", Map.of("accessTokenSeconds", 600)))
			.status()).isEqualTo(200);
		within("tenant token policy changed", () -> lifetime(grant(node(2), tenant, clientId, secret)) == 600);

		String discovery = "/t/" + tenant + "/.well-known/openid-configuration";
		assertThat(node(2).api().get(discovery, null).status()).isEqualTo(200);
		assertThat(node(1).api().delete("/api/v1/tenants/" + tenant + "?confirm=" + tenant).status()).isEqualTo(204);
		within("tenant deleted", () -> node(2).api().get(discovery, null).status() == 404);
	}

	@Test
	@Order(6)
	void aChangeThatCommitsLateIsStillReadAndNoChangeIsReadTwice() throws Exception {
		List<String> heard = new CopyOnWriteArrayList<>();
		node(2).bean(CacheChanges.class).cache("probe", heard::add);
		JdbcClient database = node(1).bean(JdbcClient.class);
		change(database, "first", "clock_timestamp()");
		within("a change read by node 2", () -> heard.contains("first"));
		// A transaction that stamped its row, then took 3 s to commit: node 2 has already read a newer row.
		change(database, "late", "clock_timestamp() - interval '3 seconds'");
		within("a late commit read by node 2", () -> heard.contains("late"));
		Thread.sleep(600); // three more polls, each re-reading both rows
		assertThat(heard).containsExactly("first", "late");
	}

	private static void change(JdbcClient database, String key, String changedAt) {
		database.sql("insert into cache_change (id, cache_name, cache_key, node_id, changed_at) values (?, 'probe', ?, 'elsewhere', "
				+ changedAt + ")")
			.params(java.util.UUID.randomUUID().toString(), key)
			.update();
	}

	@Test
	@Order(7)
	void aPollIsOneIndexedRangeScan() {
		JdbcClient database = node(1).bean(JdbcClient.class);
		// Half an hour of changes at 10 a second, all older than any poll's window.
		database.sql("""
				insert into cache_change (id, cache_name, cache_key, node_id, changed_at)
				select 'old-' || n, 'explained', 'k' || n, 'elsewhere', clock_timestamp() - interval '1 minute' - n * interval '100 milliseconds'
				from generate_series(1, 18000) n""").update();
		database.sql("analyze cache_change").update();
		List<String> plan = database.sql("explain " + CacheChanges.POLL)
			.params(java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(1)), "this node")
			.query(String.class)
			.list();
		assertThat(String.join("\n", plan)).contains("cache_change_changed_at").doesNotContain("Seq Scan");
		database.sql("delete from cache_change where cache_name = 'explained'").update();
	}

	@Test
	@Order(8)
	void scheduledJobsRunOnOneNodePerInterval() throws Exception {
		// However the claims of three nodes interleave, one wins.
		try (var claiming = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int round = 0; round < 20; round++) {
				String job = "race-" + round;
				CountDownLatch go = new CountDownLatch(1);
				List<Future<Boolean>> claims = new ArrayList<>();
				for (Node node : cluster.nodes) {
					claims.add(claiming.submit(() -> {
						go.await();
						return node.bean(JobLeases.class).tryClaim(job, Duration.ofMinutes(1));
					}));
				}
				go.countDown();
				int won = 0;
				for (Future<Boolean> claim : claims) {
					won += claim.get() ? 1 : 0;
				}
				assertThat(won).as("claims of " + job + " that won").isEqualTo(1);
			}
		}
		// Each node runs housekeeping's schedule every 500 ms; together they ran it about once per interval.
		long elapsed = System.nanoTime() - housekeepingSince;
		if (elapsed < Duration.ofSeconds(3).toNanos()) {
			Thread.sleep(Duration.ofSeconds(3).minusNanos(elapsed));
		}
		double runs = -housekeepingRunsBefore;
		for (Node node : cluster.nodes) {
			runs += housekeepingRuns(node);
		}
		double intervals = (double) (System.nanoTime() - housekeepingSince) / HOUSEKEEPING.toNanos();
		assertThat(runs).as("housekeeping runs in %.1f intervals on 3 nodes", intervals)
			.isLessThanOrEqualTo(intervals + 1)
			.isGreaterThanOrEqualTo(intervals / 3);
	}

	@Test
	@Order(9)
	void stoppingANodeUnderLoadLosesNoCommittedChange() throws Exception {
		String tenant = node(1).api().newTenant("load");
		WebApp app = webApp(tenant);
		JsonNode service = serviceApp(tenant);
		List<String> people = List.of("p1@example.com", "p2@example.com");
		people.forEach(email -> user(tenant, email));

		Load load = new Load();
		Set<String> created = ConcurrentHashMap.newKeySet();
		long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
		double[] survivorsRuns = new double[1];
		try (var workers = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int p = 0; p < people.size(); p++) {
				String email = people.get(p);
				int first = p;
				workers.submit(() -> {
					while (System.nanoTime() < end) {
						Tokens tokens = load.through(first, "sign-in", node -> new Person().signIn(app, email, PASSWORD, node.origin(),
								cluster.nodes.get(node.number() % 3).origin()));
						String refresh = tokens.refreshToken();
						for (int r = 0; r < 3; r++) {
							String presented = refresh;
							refresh = load.through(first + r, "refresh", node -> Person.refresh(app, node.origin(), presented)).refreshToken();
						}
					}
					return null;
				});
			}
			workers.submit(() -> {
				int n = 0;
				while (System.nanoTime() < end) {
					load.through(n++, "client_credentials", node -> {
						Api.Response answer = node.api().clientCredentials(tenant, service.get("clientId").asString(),
								service.get("clientSecret").asString());
						return new Tokens(answer.status(), answer.status() == 200 ? answer.json() : null);
					});
				}
				return null;
			});
			workers.submit(() -> {
				int n = 0;
				while (System.nanoTime() < end) {
					String email = "new" + (n++) + "@example.com";
					load.through(n, "user creation", node -> {
						Api.Response answer = node.api().post("/api/v1/tenants/" + tenant + "/users",
								Map.of("email", email, "password", PASSWORD));
						// Created, or created by an attempt whose answer was lost before this retry.
						return new Tokens(answer.status() == 201 || answer.status() == 409 ? 200 : answer.status(), null);
					});
					created.add(email);
				}
				return null;
			});
			workers.submit(() -> {
				Thread.sleep(1200);
				node(3).context().close();
				survivorsRuns[0] = housekeepingRuns(node(1)) + housekeepingRuns(node(2));
				return null;
			});
		}

		assertThat(node(3).running()).isFalse();
		assertThat(load.errors).as("operations that failed on every node").isEmpty();
		assertThat(load.retried.get()).as("operations retried through another node").isPositive();
		assertThat(load.done).as("operations done").containsKeys("sign-in", "refresh", "client_credentials", "user creation");
		List<String> stored = node(1).bean(JdbcClient.class)
			.sql("select email from account where tenant_id = ? and email like 'new%'")
			.param(tenant)
			.query(String.class)
			.list();
		assertThat(stored).containsExactlyInAnyOrderElementsOf(created);
		// The lease of a node that is gone runs out, and the others carry on.
		assertThat(housekeepingRuns(node(1)) + housekeepingRuns(node(2))).isGreaterThan(survivorsRuns[0]);
		System.out.println("Under load, with node 3 stopped after 1.2 s: " + load.done + " done, " + load.retried
				+ " retried through another node");
	}

	/** Operations sent to one node after another, as a balancer retries them: through the next when one is gone. */
	static final class Load {

		final Map<String, AtomicInteger> done = new ConcurrentHashMap<>();

		final AtomicInteger retried = new AtomicInteger();

		final List<String> errors = new CopyOnWriteArrayList<>();

		interface Operation {

			Tokens run(Node node) throws Exception;

		}

		Tokens through(int first, String what, Operation operation) {
			for (int attempt = 0; attempt < 6; attempt++) {
				Node node = cluster.nodes.get((first + attempt) % cluster.nodes.size());
				try {
					Tokens answer = operation.run(node);
					if (answer.status() == 200) {
						this.done.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
						return answer;
					}
					this.errors.add(what + " on " + node + " answered " + answer.status());
					throw new IllegalStateException(what + " failed");
				}
				catch (IOException | UncheckedIOException ex) {
					this.retried.incrementAndGet();
				}
				catch (Exception ex) {
					if (!(ex instanceof IllegalStateException)) {
						this.errors.add(what + " on " + node + ": " + ex);
					}
					throw new IllegalStateException(what + " failed", ex);
				}
			}
			this.errors.add(what + " found no node");
			throw new IllegalStateException(what + " found no node");
		}

	}

	static Node node(int number) {
		return cluster.node(number);
	}

	/** Polls node 2 until the change shows, for at most {@link #WITHIN}; records how long it took. */
	static void within(String change, java.util.function.BooleanSupplier seen) {
		long start = System.nanoTime();
		long deadline = start + WITHIN.toNanos();
		while (!seen.getAsBoolean()) {
			assertThat(System.nanoTime()).as(change + " within " + WITHIN.toMillis() + " ms").isLessThan(deadline);
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		delays.add(change + ": " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
	}

	static WebApp webApp(String tenant) {
		String callback = cluster.baseUrl + "/callback";
		JsonNode web = node(1).api().post("/api/v1/tenants/" + tenant + "/applications",
				Map.of("displayName", "Web", "type", "web", "redirectUris", List.of(callback))).json();
		return new WebApp(tenant, web.get("clientId").asString(), web.get("clientSecret").asString(), callback);
	}

	static JsonNode serviceApp(String tenant) {
		return node(1).api().post("/api/v1/tenants/" + tenant + "/applications",
				Map.of("displayName", "Daemon", "type", "service")).json();
	}

	static String user(String tenant, String email) {
		Api.Response created = node(1).api().post("/api/v1/tenants/" + tenant + "/users",
				Map.of("email", email, "password", PASSWORD, "emailVerified", true));
		assertThat(created.status()).isEqualTo(201);
		return created.json().get("id").asString();
	}

	static String grant(Node node, String tenant, String clientId, String secret) {
		Api.Response answer = node.api().clientCredentials(tenant, clientId, secret);
		assertThat(answer.status()).isEqualTo(200);
		return answer.json().get("access_token").asString();
	}

	static int userInfo(Node node, String tenant, String accessToken) throws IOException, InterruptedException {
		return Person.HTTP.send(HttpRequest.newBuilder(URI.create(Person.url(node.origin(), "/t/" + tenant + "/userinfo")))
			.header("Authorization", "Bearer " + accessToken)
			.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	static int userInfoStatus(Node node, String tenant, String accessToken) {
		try {
			return userInfo(node, tenant, accessToken);
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String kid(String jwt) {
		return part(jwt, 0).get("kid").asString();
	}

	static long lifetime(String jwt) {
		JsonNode claims = part(jwt, 1);
		return claims.get("exp").asLong() - claims.get("iat").asLong();
	}

	private static JsonNode part(String jwt, int index) {
		return Api.JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]), StandardCharsets.UTF_8));
	}

	static String keyOf(JsonNode keys, String algorithm, String status) {
		for (JsonNode key : keys) {
			if (key.get("algorithm").asString().equals(algorithm) && key.get("status").asString().equals(status)) {
				return key.get("kid").asString();
			}
		}
		throw new IllegalStateException("No " + status + " " + algorithm + " key in " + keys);
	}

	static double housekeepingRuns(Node node) {
		Counter runs = node.bean(MeterRegistry.class).find("foyer.housekeeping.runs").counter();
		return runs == null ? 0 : runs.count();
	}

}
