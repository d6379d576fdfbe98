package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator;
import com.sun.net.httpserver.HttpServer;

import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;
import tools.jackson.databind.JsonNode;

/**
 * OpenID Connect Back-Channel Logout 1.0: the apps a session signed in hear of its end, on a real HTTP server, with
 * logout tokens checked by Nimbus's own validator.
 */
@ContextConfiguration(initializers = TestFoyer.OnH2WithMail.class)
class BackChannelLogoutTest extends FoyerIntegrationTest {

	@org.springframework.beans.factory.annotation.Autowired
	private javax.sql.DataSource dataSource;

	@org.springframework.beans.factory.annotation.Autowired
	private dev.foyer.session.SsoSessions sessions;

	/** What an app's back-channel logout endpoint received. */
	record Delivery(String path, String contentType, String logoutToken) {
	}

	/** A real HTTP server standing in for the apps' servers: every POST is kept, and answered 200. */
	static final class AppServers implements AutoCloseable {

		final BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();

		private final HttpServer server;

		AppServers() throws IOException {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			this.server.createContext("/", exchange -> {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				String token = body.startsWith("logout_token=")
						? URLDecoder.decode(body.substring("logout_token=".length()), StandardCharsets.UTF_8) : body;
				this.received.add(new Delivery(exchange.getRequestURI().getPath(),
						exchange.getRequestHeaders().getFirst("Content-Type"), token));
				exchange.sendResponseHeaders(200, -1);
				exchange.close();
			});
			this.server.start();
		}

		String uri(String path) {
			return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
		}

		/** The next {@code count} deliveries, waiting up to 10 s for them; then none more for 1 s. */
		List<Delivery> exactly(int count) throws InterruptedException {
			List<Delivery> got = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				Delivery next = this.received.poll(10, TimeUnit.SECONDS);
				assertThat(next).as("delivery %d of %d", i + 1, count).isNotNull();
				got.add(next);
			}
			assertThat(this.received.poll(1, TimeUnit.SECONDS)).as("no more deliveries").isNull();
			return got;
		}

		@Override
		public void close() {
			this.server.stop(0);
		}

	}

	@Test
	void aSignOutTellsEveryWebAppThatSignedInThroughTheSession() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "bcl", "web");
		String ada = t.user("ada@example.com");
		SignInSupport other = new SignInSupport(this.api, "bclother", "web");
		other.user("ada@example.com");
		try (AppServers apps = new AppServers(); Browser browser = new Browser()) {
			OidcClient a = t.client();
			OidcClient b = app(t, "B", apps.uri("/b"));
			// C's server is down: its delivery fails, and nothing else does.
			OidcClient c = app(t, "C", "http://127.0.0.1:" + closedPort() + "/c");
			OidcClient none = app(t, "No back-channel", null);
			backchannel(t, t.app.get("id").asString(), apps.uri("/a"));
			backchannel(other, other.app.get("id").asString(), apps.uri("/other"));
			OidcClient elsewhere = other.client();

			String idToken = SignInSupport.tokens(a,
					SignInSupport.signIn(browser, a, "ada@example.com", SignInSupport.PASSWORD, "openid"))
				.getOIDCTokens()
				.getIDTokenString();
			String sid = sid(idToken);
			for (OidcClient sso : List.of(b, c, none)) {
				browser.open(sso.authorizationRequest("openid").toString());
				assertThat(sid(sso, AuthenticationResponseParser.parse(browser.url()))).as("one session for the tenant's apps")
					.isEqualTo(sid);
			}
			// The same browser is signed in to another tenant too, whose app must not hear of this tenant's sign-out.
			assertThat(SignInSupport.signIn(browser, elsewhere, "ada@example.com", SignInSupport.PASSWORD, "openid")
				.indicatesSuccess()).isTrue();
			assertThat(apps.received).as("nothing while signing in").isEmpty();

			browser.open(a.metadata.getEndSessionEndpointURI() + "?id_token_hint=" + idToken + "&post_logout_redirect_uri="
					+ OidcRulesTest.URLs.encode(this.api.base() + "/bye") + "&state=s1");
			assertThat(browser.url().getPath()).as("the sign-out does not wait for C").isEqualTo("/bye");

			List<Delivery> got = apps.exactly(2);
			assertThat(got).extracting(Delivery::path).containsExactlyInAnyOrder("/a", "/b");
			for (Delivery delivery : got) {
				assertThat(delivery.contentType()).isEqualTo("application/x-www-form-urlencoded");
				OidcClient app = delivery.path().equals("/a") ? a : b;
				LogoutTokenClaimsSet claims = validated(t, app, delivery);
				assertThat(claims.getSubject().getValue()).isEqualTo(ada);
				assertThat(claims.getSessionID().getValue()).isEqualTo(sid);
			}
			// The other tenant's session goes on.
			assertThat(SignInSupport.signedIn(browser, elsewhere)).isTrue();
			// The sign-out, outside any transaction, gave its database connection back (a query's stream left open
			// kept it, and ten such sign-outs starved the server).
			awaitNoConnectionInUse();
		}
	}

	@Test
	void anAdministratorEndingEverySessionTellsTheAppsOfEachSession() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "bcladmin", "web");
		String grace = t.user("grace@example.com");
		try (AppServers apps = new AppServers(); Browser laptop = new Browser(); Browser phone = new Browser()) {
			backchannel(t, t.app.get("id").asString(), apps.uri("/a"));
			OidcClient a = t.client();
			List<String> sids = new ArrayList<>();
			for (Browser browser : List.of(laptop, phone)) {
				sids.add(sid(a, SignInSupport.signIn(browser, a, "grace@example.com", SignInSupport.PASSWORD, "openid")));
			}
			assertThat(sids.get(0)).isNotEqualTo(sids.get(1));

			assertThat(this.api.post("/api/v1/tenants/" + t.tenant + "/users/" + grace + "/revokeSignInSessions", Map.of())
				.status()).isEqualTo(204);

			List<String> told = new ArrayList<>();
			for (Delivery delivery : apps.exactly(2)) {
				LogoutTokenClaimsSet claims = validated(t, a, delivery);
				assertThat(claims.getSubject().getValue()).isEqualTo(grace);
				told.add(claims.getSessionID().getValue());
			}
			assertThat(told).containsExactlyInAnyOrderElementsOf(sids);
		}
	}

	@Test
	void blockingAnAccountEndsItsSessionsAndTellsTheirApps() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "bclblock", "web");
		String mallory = t.user("mallory@example.com");
		String user = "/api/v1/tenants/" + t.tenant + "/users/" + mallory;
		try (AppServers apps = new AppServers(); Browser browser = new Browser()) {
			backchannel(t, t.app.get("id").asString(), apps.uri("/a"));
			OidcClient a = t.client();
			String sid = sid(a, SignInSupport.signIn(browser, a, "mallory@example.com", SignInSupport.PASSWORD, "openid"));

			// A change that does not block tells no one.
			assertThat(this.api.patch(user, Map.of("givenName", "M")).status()).isEqualTo(200);
			assertThat(this.api.patch(user, Map.of("accountEnabled", false)).status()).isEqualTo(200);
			LogoutTokenClaimsSet claims = validated(t, a, apps.exactly(1).get(0));
			assertThat(claims.getSubject().getValue()).isEqualTo(mallory);
			assertThat(claims.getSessionID().getValue()).isEqualTo(sid);

			// Unblocking brings the session back neither for the browser nor for the app; nor is anyone told again.
			assertThat(this.api.patch(user, Map.of("accountEnabled", true)).status()).isEqualTo(200);
			assertThat(SignInSupport.signedIn(browser, a)).isFalse();
			assertThat(apps.received.poll(1, TimeUnit.SECONDS)).isNull();
		}
	}

	@Test
	void sessionsPastTheirLifetimeOrIdleTimeAreEndedAndAnnounced() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "bclexpiry", "web");
		t.user("ada@example.com");
		assertThat(this.api.patch("/api/v1/tenants/" + t.tenant, Map.of("sessionPolicy",
				Map.of("maxSeconds", 3600, "idleSeconds", 900))).status()).isEqualTo(200);
		// Another tenant's session, past the idle time this tenant sets but without an idle timeout of its own, stays.
		SignInSupport other = new SignInSupport(this.api, "bclexpiryother", "web");
		other.user("ada@example.com");
		try (AppServers apps = new AppServers(); Browser expired = new Browser(); Browser idle = new Browser();
				Browser live = new Browser(); Browser elsewhere = new Browser()) {
			backchannel(t, t.app.get("id").asString(), apps.uri("/a"));
			backchannel(other, other.app.get("id").asString(), apps.uri("/other"));
			OidcClient a = t.client();
			Map<Browser, String> sids = new java.util.LinkedHashMap<>();
			for (Browser browser : List.of(expired, idle, live)) {
				sids.put(browser, sid(a, SignInSupport.signIn(browser, a, "ada@example.com", SignInSupport.PASSWORD, "openid")));
			}
			OidcClient o = other.client();
			String otherSid = sid(o, SignInSupport.signIn(elsewhere, o, "ada@example.com", SignInSupport.PASSWORD, "openid"));
			Instant now = Instant.now();
			this.jdbc.sql("update sso_session set expires_at = ? where id = ?")
				.params(java.sql.Timestamp.from(now.minusSeconds(1)), sids.get(expired))
				.update();
			for (String sid : List.of(sids.get(idle), otherSid)) {
				this.jdbc.sql("update sso_session set last_seen_at = ? where id = ?")
					.params(java.sql.Timestamp.from(now.minusSeconds(901)), sid)
					.update();
			}

			// At least these two: the sweep covers every tenant of this shared server.
			assertThat(this.sessions.endExpired(now)).isGreaterThanOrEqualTo(2);

			List<String> told = new ArrayList<>();
			for (Delivery delivery : apps.exactly(2)) {
				assertThat(delivery.path()).isEqualTo("/a");
				told.add(validated(t, a, delivery).getSessionID().getValue());
			}
			assertThat(told).containsExactlyInAnyOrder(sids.get(expired), sids.get(idle));
			assertThat(SignInSupport.signedIn(live, a)).isTrue();
			assertThat(SignInSupport.signedIn(elsewhere, o)).isTrue();
			assertThat(this.jdbc.sql("select count(*) from sso_session where id in (?, ?)")
				.params(sids.get(expired), sids.get(idle)).query(Integer.class).single()).isZero();
			// Ended once: the next sweep finds nothing more.
			assertThat(this.sessions.endExpired(Instant.now())).isZero();
		}
	}

	@Test
	void signingInAgainKeepsTheSessionWhileAnotherPersonsSignInEndsIt() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "bclswitch", "web");
		String first = t.user("first@example.com");
		t.user("second@example.com");
		try (AppServers apps = new AppServers(); Browser browser = new Browser()) {
			backchannel(t, t.app.get("id").asString(), apps.uri("/a"));
			OidcClient a = t.client();
			String sid = sid(a, SignInSupport.signIn(browser, a, "first@example.com", SignInSupport.PASSWORD, "openid"));
			// The same person, asked to sign in again: the session goes on under its id, and no app is told anything.
			String again = sid(a, SignInSupport.signIn(browser, a, "first@example.com", SignInSupport.PASSWORD, "openid",
					"prompt", "login"));
			assertThat(again).isEqualTo(sid);
			// Someone else signs in in this browser: the first person's session has ended, and its app hears of it.
			String second = sid(a, SignInSupport.signIn(browser, a, "second@example.com", SignInSupport.PASSWORD, "openid",
					"prompt", "login"));
			assertThat(second).isNotEqualTo(sid);
			LogoutTokenClaimsSet claims = validated(t, a, apps.exactly(1).get(0));
			assertThat(claims.getSubject().getValue()).isEqualTo(first);
			assertThat(claims.getSessionID().getValue()).isEqualTo(sid);
		}
	}

	@Test
	void theBackChannelLogoutUriFollowsTheRedirectUriRules() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "bcluri", "web");
		String path = "/api/v1/tenants/" + t.tenant + "/applications/" + t.app.get("id").asString();
		assertThat(this.api.get(path).json().has("backchannelLogoutUri")).isFalse();
		assertThat(this.api.patch(path, Map.of("backchannelLogoutUri", "https://shop.example/logout?x=1")).status())
			.isEqualTo(200);
		for (String wrong : List.of("http://shop.example/logout", "https://shop.example/logout#f", "/logout",
				"https://*.example/logout", "javascript:alert(1)")) {
			var refused = this.api.patch(path, Map.of("backchannelLogoutUri", wrong, "displayName", "Changed"));
			assertThat(refused.status()).as(wrong).isEqualTo(400);
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
			assertThat(refused.text()).contains("backchannelLogoutUri");
		}
		JsonNode kept = this.api.get(path).json();
		assertThat(kept.get("backchannelLogoutUri").asString()).isEqualTo("https://shop.example/logout?x=1");
		assertThat(kept.get("displayName").asString()).isEqualTo("App");
		// Loopback http, as for redirect URIs, for an app on the developer's machine.
		assertThat(this.api.patch(path, Map.of("backchannelLogoutUri", "http://localhost:3000/logout")).status())
			.isEqualTo(200);
		assertThat(this.api.patch(path, Map.of("backchannelLogoutUri", "")).json().has("backchannelLogoutUri")).isFalse();
		// Public apps have no server of their own to call, services no sessions.
		for (String type : List.of("spa", "native", "service")) {
			JsonNode app = this.api.post("/api/v1/tenants/" + t.tenant + "/applications",
					type.equals("service") ? Map.of("displayName", type, "type", type)
							: Map.of("displayName", type, "type", type, "redirectUris", List.of("http://localhost:3000/cb")))
				.json();
			var refused = this.api.patch("/api/v1/tenants/" + t.tenant + "/applications/" + app.get("id").asString(),
					Map.of("backchannelLogoutUri", "https://shop.example/logout"));
			assertThat(refused.status()).as(type).isEqualTo(400);
			assertThat(refused.text()).contains("only a web application");
		}
	}

	private void awaitNoConnectionInUse() throws InterruptedException {
		var pool = ((com.zaxxer.hikari.HikariDataSource) this.dataSource).getHikariPoolMXBean();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (pool.getActiveConnections() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(pool.getActiveConnections()).as("connections in use while idle").isZero();
	}

	/** A web app of the tenant, with the tenant's callback, and a back-channel logout URI if {@code backchannel}. */
	private OidcClient app(SignInSupport t, String name, String backchannel) throws Exception {
		JsonNode app = this.api.post("/api/v1/tenants/" + t.tenant + "/applications",
				Map.of("displayName", name, "type", "web", "redirectUris", List.of(t.callback.toString())))
			.json();
		if (backchannel != null) {
			backchannel(t, app.get("id").asString(), backchannel);
		}
		return new OidcClient(this.api.issuer(t.tenant), app.get("clientId").asString(),
				app.get("clientSecret").asString(), t.callback);
	}

	private void backchannel(SignInSupport t, String applicationId, String uri) {
		assertThat(this.api.patch("/api/v1/tenants/" + t.tenant + "/applications/" + applicationId,
				Map.of("backchannelLogoutUri", uri)).status()).isEqualTo(200);
	}

	/** The {@code sid} of the ID token the app gets for this authorization response. */
	private static String sid(OidcClient rp, com.nimbusds.openid.connect.sdk.AuthenticationResponse response)
			throws Exception {
		return sid(SignInSupport.tokens(rp, response).getOIDCTokens().getIDTokenString());
	}

	private static String sid(String idToken) throws Exception {
		return JWTParser.parse(idToken).getJWTClaimsSet().getStringClaim("sid");
	}

	/**
	 * The delivery's logout token as an app checks it (Back-Channel Logout 1.0, 2.6): signed by a key of the tenant's
	 * JWKS, typed logout+jwt, for this app, from this issuer, with the event and without a nonce.
	 */
	private LogoutTokenClaimsSet validated(SignInSupport t, OidcClient app, Delivery delivery) throws Exception {
		JWKSet keys = JWKSet.load(app.metadata.getJWKSetURI().toURL());
		LogoutTokenValidator validator = new LogoutTokenValidator(new Issuer(this.api.issuer(t.tenant)),
				app.clientId, true, new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
						new ImmutableJWKSet<>(keys)), null);
		LogoutTokenClaimsSet claims = validator.validate(JWTParser.parse(delivery.logoutToken()));
		assertThat(claims.getJWTID()).isNotNull();
		assertThat(claims.getStringClaim("nonce")).isNull();
		return claims;
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
