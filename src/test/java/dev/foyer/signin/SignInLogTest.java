package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.audit.SignInLog;
import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;
import tools.jackson.databind.JsonNode;

/**
 * The sign-in log: each attempt on the hosted pages with its outcome, the account it named (found from the address
 * for failures too), the app, the address and browser; listed newest first, filtered and paged, per tenant only,
 * and forgotten with its account.
 */
@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class SignInLogTest extends FoyerIntegrationTest {

	@Autowired
	private SignInLog signIns;

	@Test
	void everyAttemptWithItsOutcome() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "signinlog", "web");
		String ada = t.user("ada@example.com");
		String log = "/api/v1/tenants/" + t.tenant + "/auditLogs/signIns";
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			assertThat(SignInSupport.signIn(browser, rp, "Ada@Example.com", "wrong password 1", "openid")).isNull();
			assertThat(SignInSupport.signIn(browser, rp, "nobody@example.com", "wrong password 2", "openid")).isNull();
			// An address far longer than any column (posted by a script; a browser keeps to the field's length):
			// logged clipped, and the batch it shares is not lost.
			this.signIns.record(new SignInLog.Attempt(t.tenant, "invalidCredentials", List.of("pwd"), null,
					"x".repeat(5000) + "@example.com", "c".repeat(500), "i".repeat(500), "u".repeat(5000), true));
			assertThat(SignInSupport.signIn(browser, rp, "ada@example.com", SignInSupport.PASSWORD, "openid")
				.indicatesSuccess()).isTrue();
		}
		this.api.patch("/api/v1/tenants/" + t.tenant + "/users/" + ada, Map.of("accountEnabled", false));
		try (Browser browser = new Browser()) {
			assertThat(SignInSupport.signIn(browser, rp, "ada@example.com", SignInSupport.PASSWORD, "openid")).isNull();
		}

		JsonNode items = this.api.get(log).json().get("items");
		assertThat(outcomes(items)).containsExactly("blocked", "success", "invalidCredentials", "invalidCredentials",
				"invalidCredentials");
		assertThat(items.get(2).get("email").asString()).hasSize(320).startsWith("xxx");
		JsonNode success = items.get(1);
		assertThat(success.get("userId").asString()).isEqualTo(ada);
		assertThat(success.get("email").asString()).isEqualTo("ada@example.com");
		assertThat(success.get("authenticationMethods").get(0).asString()).isEqualTo("pwd");
		assertThat(success.get("interactive").asBoolean()).isTrue();
		assertThat(success.get("clientId").asString()).isEqualTo(rp.clientId.getValue());
		assertThat(success.get("ipAddress").asString()).isEqualTo("127.0.0.1");
		assertThat(success.get("userAgent").asString()).contains("Firefox");
		assertThat(success.get("requestId").asString()).isNotBlank();
		// A wrong password for Ada's address is hers; an address without an account is nobody's.
		assertThat(items.get(4).get("userId").asString()).isEqualTo(ada);
		assertThat(items.get(4).get("email").asString()).isEqualTo("ada@example.com");
		assertThat(items.get(3).get("userId").isNull()).isTrue();
		assertThat(items.get(3).get("email").asString()).isEqualTo("nobody@example.com");

		// Filters, and pages that follow one another.
		assertThat(outcomes(this.api.get(log + "?outcome=invalidCredentials").json().get("items"))).hasSize(3);
		assertThat(this.api.get(log + "?userId=" + ada).json().get("items")).hasSize(3);
		JsonNode first = this.api.get(log + "?limit=3").json();
		assertThat(first.get("items")).hasSize(3);
		JsonNode second = this.api.get(log + "?limit=3&cursor=" + first.get("nextCursor").asString()).json();
		assertThat(outcomes(second.get("items"))).containsExactly("invalidCredentials", "invalidCredentials");
		assertThat(second.get("nextCursor").isNull()).isTrue();
		assertThat(this.api.get(log + "?since=yesterday&limit=0").status()).isEqualTo(400);
		var unknown = this.api.get(log + "?outcome=failed");
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.text()).contains("outcome").contains("invalidCredentials");

		// Nothing of it shows in another tenant.
		String other = this.api.newTenant("signinlogother");
		assertThat(this.api.get("/api/v1/tenants/" + other + "/auditLogs/signIns").json().get("items")).isEmpty();

		// A deleted account's attempts go with it; the nameless ones stay.
		assertThat(this.api.delete("/api/v1/tenants/" + t.tenant + "/users/" + ada).status()).isEqualTo(204);
		assertThat(outcomes(this.api.get(log).json().get("items"))).containsExactly("invalidCredentials",
				"invalidCredentials");
	}

	private static List<String> outcomes(JsonNode items) {
		List<String> outcomes = new ArrayList<>();
		items.forEach(item -> outcomes.add(item.get("outcome").asString()));
		return outcomes;
	}

	@Test
	void anAppSignInAnsweredFromTheSessionIsNonInteractive() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "signinsso", "web");
		String ada = t.user("ada@example.com");
		String log = "/api/v1/tenants/" + t.tenant + "/auditLogs/signIns";
		OidcClient first = t.client();
		JsonNode app = this.api.post("/api/v1/tenants/" + t.tenant + "/applications", Map.of("displayName", "Second",
				"type", "web", "redirectUris", List.of(t.callback.toString()))).json();
		OidcClient second = new OidcClient(this.api.issuer(t.tenant), app.get("clientId").asString(),
				app.get("clientSecret").asString(), t.callback);
		try (Browser browser = new Browser()) {
			assertThat(SignInSupport.signIn(browser, first, "ada@example.com", SignInSupport.PASSWORD, "openid")
				.indicatesSuccess()).isTrue();
			// The second app's sign-in needs no page: the session answers it, with and without prompt=none.
			assertThat(SignInSupport.signedIn(browser, second)).isTrue();
			browser.open(second.authorizationRequest("openid").toString());
			assertThat(browser.url().getPath()).isEqualTo("/callback");
		}

		JsonNode items = this.api.get(log).json().get("items");
		assertThat(outcomes(items)).containsExactly("success", "success", "success");
		for (int i = 0; i < 2; i++) {
			JsonNode fromSession = items.get(i);
			assertThat(fromSession.get("interactive").asBoolean()).isFalse();
			assertThat(fromSession.get("clientId").asString()).isEqualTo(second.clientId.getValue());
			assertThat(fromSession.get("userId").asString()).isEqualTo(ada);
			assertThat(fromSession.get("authenticationMethods").get(0).asString()).as("how the session began").isEqualTo("pwd");
			assertThat(fromSession.get("email").isNull()).as("no address was typed").isTrue();
			assertThat(fromSession.get("ipAddress").asString()).isEqualTo("127.0.0.1");
		}
		assertThat(items.get(2).get("interactive").asBoolean()).isTrue();
		assertThat(items.get(2).get("clientId").asString()).isEqualTo(first.clientId.getValue());

		assertThat(this.api.get(log + "?interactive=false").json().get("items")).hasSize(2);
		JsonNode onPage = this.api.get(log + "?interactive=true&outcome=success").json().get("items");
		assertThat(onPage).hasSize(1);
		assertThat(onPage.get(0).get("clientId").asString()).isEqualTo(first.clientId.getValue());
		var unclear = this.api.get(log + "?interactive=yes");
		assertThat(unclear.status()).isEqualTo(400);
		assertThat(unclear.text()).contains("interactive");
	}

}
