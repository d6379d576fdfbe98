package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;
import tools.jackson.databind.JsonNode;

/**
 * A tenant's session policy: how long its single sign-on sessions last from sign-in, and how long they may go unused.
 * Time is moved by rewriting the session's row, so that nothing here waits.
 */
@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class SessionPolicyTest extends FoyerIntegrationTest {

	@Test
	void theDefaultsAndTheRulesForChangingThem() {
		String tenant = this.api.newTenant("sesspolicy");
		String path = "/api/v1/tenants/" + tenant;
		JsonNode policy = this.api.get(path).json().get("sessionPolicy");
		assertThat(policy.get("maxSeconds").asInt()).isEqualTo(86400);
		assertThat(policy.get("idleSeconds").asInt()).isZero();
		assertThat(policy.get("persistent").asBoolean()).isFalse();

		for (Map<String, Object> wrong : java.util.List.<Map<String, Object>>of(Map.of("maxSeconds", 60),
				Map.of("maxSeconds", 91 * 86400), Map.of("idleSeconds", 100), Map.of("idleSeconds", -1),
				// not shorter than the lifetime in force (24 hours), nor than one sent with it
				Map.of("idleSeconds", 86400), Map.of("maxSeconds", 3600, "idleSeconds", 3600),
				Map.of("persistent", "yes"))) {
			var refused = this.api.patch(path, Map.of("displayName", "Changed", "sessionPolicy", wrong));
			assertThat(refused.status()).as(wrong.toString()).isEqualTo(400);
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
			assertThat(refused.text()).contains("sessionPolicy");
		}
		JsonNode unchanged = this.api.get(path).json();
		assertThat(unchanged.get("displayName").asString()).isNotEqualTo("Changed");
		assertThat(unchanged.get("sessionPolicy").get("maxSeconds").asInt()).isEqualTo(86400);

		JsonNode changed = this.api.patch(path, Map.of("sessionPolicy", Map.of("maxSeconds", 3600, "idleSeconds", 900)))
			.json()
			.get("sessionPolicy");
		assertThat(changed.get("maxSeconds").asInt()).isEqualTo(3600);
		assertThat(changed.get("idleSeconds").asInt()).isEqualTo(900);
		// Only what is sent changes; 0 turns the idle timeout off again.
		changed = this.api.patch(path, Map.of("sessionPolicy", Map.of("idleSeconds", 0))).json().get("sessionPolicy");
		assertThat(changed.get("maxSeconds").asInt()).isEqualTo(3600);
		assertThat(changed.get("idleSeconds").asInt()).isZero();
	}

	@Test
	void aSessionLastsTheTenantsLifetimeAndEndsWhenLeftUnusedForItsIdleTimeout() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "sessidle", "web");
		t.user("idle@example.com");
		assertThat(this.api.patch("/api/v1/tenants/" + t.tenant,
				Map.of("sessionPolicy", Map.of("maxSeconds", 7200, "idleSeconds", 900))).status()).isEqualTo(200);
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			assertThat(signInFor(browser, rp, t.tenant, "idle@example.com")).hasSeconds(7200);

			// Used 10 minutes ago: still within the 15, and this use moves last_seen_at on.
			lastSeen(t.tenant, Instant.now().minus(Duration.ofMinutes(10)));
			assertThat(SignInSupport.signedIn(browser, rp)).isTrue();
			assertThat(instant(session(t.tenant), "last_seen_at")).isAfter(Instant.now().minus(Duration.ofMinutes(1)));

			// Unused for 16 minutes: gone, though its two hours are not over.
			lastSeen(t.tenant, Instant.now().minus(Duration.ofMinutes(16)));
			assertThat(SignInSupport.signedIn(browser, rp)).isFalse();

			// Signing in again starts a session of its own, for the whole lifetime again.
			String old = (String) session(t.tenant).get("id");
			assertThat(signInFor(browser, rp, t.tenant, "idle@example.com")).hasSeconds(7200);
			assertThat(session(t.tenant).get("id")).isNotEqualTo(old);
		}
	}

	@Test
	void withoutAnIdleTimeoutUseIsNotWrittenAndOnlyTheLifetimeCounts() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "sessmax", "web");
		t.user("max@example.com");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			assertThat(signInFor(browser, rp, t.tenant, "max@example.com")).hasHours(24);
			Instant longAgo = Instant.now().minus(Duration.ofHours(20)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
			lastSeen(t.tenant, longAgo);
			assertThat(SignInSupport.signedIn(browser, rp)).isTrue();
			assertThat(instant(session(t.tenant), "last_seen_at")).isEqualTo(longAgo);

			// The tenant turns a timeout on: the session unused for 20 hours ends at once.
			assertThat(this.api.patch("/api/v1/tenants/" + t.tenant, Map.of("sessionPolicy", Map.of("idleSeconds", 3600)))
				.status()).isEqualTo(200);
			assertThat(SignInSupport.signedIn(browser, rp)).isFalse();
		}
	}

	/** Signs in in this browser; answers how long the tenant's one session is to last from its start. */
	private Duration signInFor(Browser browser, OidcClient rp, String tenant, String email) throws Exception {
		assertThat(SignInSupport.signIn(browser, rp, email, SignInSupport.PASSWORD, "openid").indicatesSuccess()).isTrue();
		Map<String, Object> row = session(tenant);
		return Duration.between(instant(row, "created_at"), instant(row, "expires_at"));
	}

	@Test
	void aPersistentSessionsCookieOutlivesTheBrowsersSession() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "sesspersist", "web");
		t.user("kept@example.com");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			signInFor(browser, rp, t.tenant, "kept@example.com");
			assertThat(sessionCookie(browser).getExpires()).as("a browser-session cookie by default").isNull();
		}
		assertThat(this.api.patch("/api/v1/tenants/" + t.tenant,
				Map.of("sessionPolicy", Map.of("maxSeconds", 30 * 86400, "persistent", true))).status()).isEqualTo(200);
		try (Browser browser = new Browser()) {
			assertThat(signInFor(browser, rp, t.tenant, "kept@example.com")).hasDays(30);
			java.util.Date expires = sessionCookie(browser).getExpires();
			assertThat(expires).isNotNull();
			assertThat(Duration.between(Instant.now(), expires.toInstant()))
				.isBetween(Duration.ofDays(30).minusMinutes(1), Duration.ofDays(30));
		}
	}

	private static org.htmlunit.util.Cookie sessionCookie(Browser browser) {
		return browser.client().getCookieManager().getCookies().stream()
			.filter(c -> c.getName().equals("foyer_session"))
			.findFirst()
			.orElseThrow();
	}

	private Map<String, Object> session(String tenant) {
		// The newest: a test that signs in twice, in two browsers, asks about the second.
		return this.jdbc.sql("select * from sso_session where tenant_id = ? order by created_at desc limit 1").param(tenant)
			.query()
			.singleRow();
	}

	private void lastSeen(String tenant, Instant when) {
		assertThat(this.jdbc.sql("update sso_session set last_seen_at = ? where tenant_id = ?")
			.params(Timestamp.from(when), tenant)
			.update()).isEqualTo(1);
	}

	private static Instant instant(Map<String, Object> row, String column) {
		Object value = row.get(column);
		return value instanceof java.time.OffsetDateTime odt ? odt.toInstant() : ((Timestamp) value).toInstant();
	}

}
