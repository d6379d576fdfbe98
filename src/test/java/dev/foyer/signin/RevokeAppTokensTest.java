package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import dev.foyer.support.Api;
import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;

import tools.jackson.databind.JsonNode;

/**
 * An admin revokes every token of an app ({@code POST …/applications/{id}/revokeTokens}), as for a leaked secret:
 * its client_credentials tokens stop at introspection and at the admin API, its people's access and refresh tokens
 * stop, tokens issued afterwards work, and other apps and other tenants keep theirs. A deleted app's tokens stop as
 * well.
 */
@ContextConfiguration(initializers = TestFoyer.OnOwnH2.class)
class RevokeAppTokensTest extends FoyerIntegrationTest {

	@Test
	void revokesTheAppsTokensAndNoOneElses() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "revoke", "web");
		String email = "revoke@example.com";
		t.user(email);
		OidcClient rp = t.client();
		OIDCTokenResponse tokens;
		try (Browser browser = new Browser()) {
			tokens = SignInSupport.tokens(rp,
					SignInSupport.signIn(browser, rp, email, SignInSupport.PASSWORD, "openid email offline_access"));
		}
		String access = tokens.getOIDCTokens().getAccessToken().getValue();
		String apps = "/api/v1/tenants/" + t.tenant + "/applications";
		String webBasic = SignInSupport.basic(t.app);

		JsonNode daemon = service(t.tenant, "Daemon");
		JsonNode other = service(t.tenant, "Other");
		String otherTenant = this.api.newTenant("revokeb");
		JsonNode foreign = service(otherTenant, "Daemon");
		String before = token(t.tenant, daemon);
		String otherToken = token(t.tenant, other);
		String foreignToken = token(otherTenant, foreign);
		assertThat(t.introspect(webBasic, before).get("active").asBoolean()).isTrue();
		assertThat(this.api.get(apps, before).status()).isEqualTo(200);

		// Another tenant's app cannot be reached through this tenant, and an unknown one is not found: nothing changes.
		assertThat(this.api.post(apps + "/" + foreign.get("id").asString() + "/revokeTokens", Map.of()).status())
			.isEqualTo(404);
		assertThat(this.api.post(apps + "/no-such-app/revokeTokens", Map.of()).status()).isEqualTo(404);
		assertThat(this.api.get("/api/v1/tenants/" + otherTenant + "/applications", foreignToken).status()).isEqualTo(200);

		Api.Response revoked = this.api.post(apps + "/" + daemon.get("id").asString() + "/revokeTokens", Map.of());
		assertThat(revoked.status()).as(revoked.text()).isEqualTo(200);
		assertThat(revoked.json().get("tokensValidAfter").asString()).isNotBlank();
		assertThat(this.api.get(apps + "/" + daemon.get("id").asString()).json().get("tokensValidAfter").asString())
			.isEqualTo(revoked.json().get("tokensValidAfter").asString());

		// The daemon's token stops everywhere Foyer checks it.
		assertThat(t.introspect(webBasic, before).get("active").asBoolean()).isFalse();
		assertThat(this.api.get(apps, before).status()).isEqualTo(401);
		// The tenant's other app, the web app's person and the other tenant keep theirs.
		assertThat(t.introspect(webBasic, otherToken).get("active").asBoolean()).isTrue();
		assertThat(this.api.get(apps, otherToken).status()).isEqualTo(200);
		assertThat(t.userinfo(access).status()).isEqualTo(200);
		assertThat(this.api.get("/api/v1/tenants/" + otherTenant + "/applications", foreignToken).status()).isEqualTo(200);

		// A token issued after the revocation's second works (one issued within that second counts as revoked).
		Thread.sleep(1_100);
		String after = token(t.tenant, daemon);
		assertThat(t.introspect(webBasic, after).get("active").asBoolean()).isTrue();
		assertThat(this.api.get(apps, after).status()).isEqualTo(200);

		// Revoking the web app's tokens ends its person's access and refresh tokens. At the admin API the customer holds
		// no role: 403 while the token is good, 401 once it is not.
		assertThat(this.api.get(apps, access).status()).isEqualTo(403);
		assertThat(this.api.post(apps + "/" + t.app.get("id").asString() + "/revokeTokens", Map.of()).status())
			.isEqualTo(200);
		assertThat(this.api.get(apps, access).status()).isEqualTo(401);
		assertThat(t.userinfo(access).status()).isEqualTo(401);
		assertThat(t.introspect(webBasic, access).get("active").asBoolean()).isFalse();
		assertThat(rp.token(new RefreshTokenGrant(tokens.getOIDCTokens().getRefreshToken())).indicatesSuccess()).isFalse();
		assertThat(this.api.get(apps, otherToken).status()).isEqualTo(200);
	}

	@Test
	void aDeletedAppsTokensStopAtTheAdminApiToo() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "deleted", "web");
		t.user("deleted@example.com");
		OidcClient rp = t.client();
		String access;
		try (Browser browser = new Browser()) {
			access = SignInSupport.tokens(rp, SignInSupport.signIn(browser, rp, "deleted@example.com",
					SignInSupport.PASSWORD, "openid")).getOIDCTokens().getAccessToken().getValue();
		}
		String apps = "/api/v1/tenants/" + t.tenant + "/applications";
		// The customer holds no role: 403 while the token is good.
		assertThat(this.api.get(apps, access).status()).isEqualTo(403);
		assertThat(this.api.delete(apps + "/" + t.app.get("id").asString()).status()).isEqualTo(204);
		assertThat(this.api.get(apps, access).status()).isEqualTo(401);
		assertThat(t.userinfo(access).status()).isEqualTo(401);
	}

	/** A service app that may manage the tenant's applications. */
	private JsonNode service(String tenant, String name) {
		JsonNode app = this.api.post("/api/v1/tenants/" + tenant + "/applications",
				Map.of("displayName", name, "type", "service")).json();
		Api.Response assigned = this.api.post("/api/v1/tenants/" + tenant + "/roleAssignments",
				Map.of("principalId", app.get("id").asString(), "role", "APPLICATION_ADMINISTRATOR"));
		assertThat(assigned.status()).as(assigned.text()).isEqualTo(201);
		return app;
	}

	private String token(String tenant, JsonNode app) {
		return this.api.clientCredentials(tenant, app.get("clientId").asString(), app.get("clientSecret").asString())
			.json()
			.get("access_token")
			.asString();
	}

}
