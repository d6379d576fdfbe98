package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.jwt.JWTParser;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;

import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;
import tools.jackson.databind.JsonNode;

/**
 * An administrator sees an account's single sign-on sessions, with the apps each signed in to, and ends one of them:
 * that browser is signed out and the apps hear of it, the account's other browsers are not.
 */
@ContextConfiguration(initializers = TestFoyer.OnH2WithMail.class)
class AdminSessionsTest extends FoyerIntegrationTest {

	@Test
	void listsTheSessionsWithTheirAppsAndEndsOne() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "admsess", "web");
		String ada = t.user("ada@example.com");
		String sessions = "/api/v1/tenants/" + t.tenant + "/users/" + ada + "/sessions";
		assertThat(this.api.get(sessions).json().get("items")).isEmpty();
		try (BackChannelLogoutTest.AppServers servers = new BackChannelLogoutTest.AppServers();
				Browser laptop = new Browser(); Browser phone = new Browser()) {
			assertThat(this.api.patch("/api/v1/tenants/" + t.tenant + "/applications/" + t.app.get("id").asString(),
					Map.of("backchannelLogoutUri", servers.uri("/a"))).status()).isEqualTo(200);
			OidcClient a = t.client();
			JsonNode second = this.api.post("/api/v1/tenants/" + t.tenant + "/applications",
					Map.of("displayName", "Second", "type", "web", "redirectUris", List.of(t.callback.toString())))
				.json();
			OidcClient b = new OidcClient(this.api.issuer(t.tenant), second.get("clientId").asString(),
					second.get("clientSecret").asString(), t.callback);

			String laptopSid = sid(a, SignInSupport.signIn(laptop, a, "ada@example.com", SignInSupport.PASSWORD, "openid"));
			laptop.open(b.authorizationRequest("openid").toString());
			assertThat(AuthenticationResponseParser.parse(laptop.url()).indicatesSuccess()).isTrue();
			String phoneSid = sid(a, SignInSupport.signIn(phone, a, "ada@example.com", SignInSupport.PASSWORD, "openid"));

			JsonNode items = this.api.get(sessions).json().get("items");
			assertThat(items).hasSize(2);
			// Newest first: the phone's, which signed in to A only; then the laptop's, to both apps.
			assertThat(items.get(0).get("id").asString()).isEqualTo(phoneSid);
			assertThat(items.get(1).get("id").asString()).isEqualTo(laptopSid);
			List<String> laptopApps = new ArrayList<>();
			items.get(1).get("applications").forEach(app -> laptopApps.add(app.get("displayName").asString()));
			assertThat(laptopApps).containsExactlyInAnyOrder("App", "Second");
			assertThat(items.get(0).get("applications")).singleElement()
				.satisfies(app -> assertThat(app.get("clientId").asString()).isEqualTo(a.clientId.getValue()));
			JsonNode first = items.get(1);
			assertThat(first.get("authenticationMethods").get(0).asString()).isEqualTo("pwd");
			assertThat(first.get("ipAddress").asString()).isEqualTo("127.0.0.1");
			assertThat(first.get("userAgent").asString()).contains("Firefox");
			assertThat(first.get("expiresAt").asString()).isNotBlank();
			assertThat(first.get("idleExpiresAt").isNull()).isTrue();

			// Another tenant's path, another account's session, an unknown one: 404, and nothing ends.
			SignInSupport other = new SignInSupport(this.api, "admsessother", "web");
			assertThat(this.api.get("/api/v1/tenants/" + other.tenant + "/users/" + ada + "/sessions").status())
				.isEqualTo(404);
			assertThat(this.api.delete("/api/v1/tenants/" + other.tenant + "/users/" + ada + "/sessions/" + laptopSid)
				.status()).isEqualTo(404);
			String graceInTenant = t.user("grace@example.com");
			var wrongAccount = this.api.delete("/api/v1/tenants/" + t.tenant + "/users/" + graceInTenant + "/sessions/"
					+ laptopSid);
			assertThat(wrongAccount.status()).isEqualTo(404);
			assertThat(wrongAccount.header("Content-Type")).startsWith("application/problem+json");
			assertThat(this.api.delete(sessions + "/no-such-session").status()).isEqualTo(404);
			assertThat(SignInSupport.signedIn(laptop, a)).isTrue();

			assertThat(this.api.delete(sessions + "/" + laptopSid).status()).isEqualTo(204);
			assertThat(SignInSupport.signedIn(laptop, a)).isFalse();
			assertThat(SignInSupport.signedIn(phone, a)).isTrue();
			assertThat(this.api.get(sessions).json().get("items")).singleElement()
				.satisfies(s -> assertThat(s.get("id").asString()).isEqualTo(phoneSid));
			// App A (the only one with a back-channel address) hears of the laptop's session alone.
			assertThat(servers.exactly(1).get(0).logoutToken()).satisfies(token -> assertThat(
					JWTParser.parse(token).getJWTClaimsSet().getStringClaim("sid")).isEqualTo(laptopSid));
			assertThat(this.api.get("/api/v1/tenants/" + t.tenant + "/auditLogs?action=user.endSession").json()
				.get("items")).singleElement()
				.satisfies(e -> assertThat(e.get("targetId").asString()).isEqualTo(ada));
		}
	}

	private static String sid(OidcClient rp, com.nimbusds.openid.connect.sdk.AuthenticationResponse response)
			throws Exception {
		return JWTParser.parse(SignInSupport.tokens(rp, response).getOIDCTokens().getIDTokenString())
			.getJWTClaimsSet()
			.getStringClaim("sid");
	}

}
