package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.StatementLog;
import dev.foyer.support.TestFoyer;

import tools.jackson.databind.JsonNode;

/**
 * userinfo and introspection answer an access token in use from memory, and hear at once of everything that
 * ends it or changes what it shows: the account blocked or changed, a revocation, a sign-out everywhere, the
 * retirement of the key that signed it. The access token a refresh replaced goes on until it expires, with its chain.
 * (Other nodes hear of the same within a second: ManyNodesTest.)
 */
@ContextConfiguration(initializers = TestFoyer.OnOwnH2.class)
@Import(StatementLog.class)
class TokensInUseTest extends FoyerIntegrationTest {

	@Autowired
	private StatementLog statements;

	@Test
	void answeredFromMemoryAndEndedByEveryChange() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "inuse", "web");
		String email = "inuse@example.com";
		String user = "/api/v1/tenants/" + t.tenant + "/users/" + t.user(email);
		OidcClient rp = t.client();
		OIDCTokenResponse tokens = signIn(rp, email);
		String access = tokens.getOIDCTokens().getAccessToken().getValue();
		String basic = SignInSupport.basic(t.app);
		assertThat(t.userinfo(access).status()).isEqualTo(200);
		assertThat(t.introspect(basic, access).get("active").asBoolean()).isTrue();

		// Warm: twenty of each read nothing from the database.
		this.statements.clear();
		for (int i = 0; i < 20; i++) {
			assertThat(t.userinfo(access).json().get("email").asString()).isEqualTo(email);
			assertThat(t.introspect(basic, access).get("active").asBoolean()).isTrue();
		}
		assertThat(this.statements.statements()).isEmpty();

		// A change of the account shows at once.
		this.api.patch(user, Map.of("givenName", "Renamed"));
		assertThat(t.userinfo(access).json().get("given_name").asString()).isEqualTo("Renamed");

		// A refresh replaces the access token: the new one works, and the old one goes on until it expires, as its JWT
		// does at a resource server (and as at Auth0, Entra and Keycloak), with its own claims.
		this.statements.clear();
		AccessTokenResponse refreshed = rp.token(new RefreshTokenGrant(tokens.getOIDCTokens().getRefreshToken()))
			.toSuccessResponse();
		// The refresh reads its authorization once (with the account's state) and writes it back; the tenant's
		// listeners and the account's claims come from memory.
		assertThat(this.statements.statements().stream().filter(sql -> sql.stripLeading().startsWith("select")))
			.singleElement()
			.satisfies(sql -> assertThat(sql).contains("from oauth2_authorization"));
		String renewed = refreshed.getTokens().getAccessToken().getValue();
		assertThat(t.userinfo(renewed).status()).isEqualTo(200);
		assertThat(t.introspect(basic, renewed).get("active").asBoolean()).isTrue();
		assertThat(t.userinfo(access).json().get("email").asString()).isEqualTo(email);
		JsonNode old = t.introspect(basic, access);
		assertThat(old.get("active").asBoolean()).isTrue();
		assertThat(old.get("jti").asString()).isNotEqualTo(t.introspect(basic, renewed).get("jti").asString());

		// Revoking the newest access token ends it, and the one it replaced.
		assertThat(new TokenRevocationRequest(rp.metadata.getRevocationEndpointURI(), rp.auth(),
				new BearerAccessToken(renewed)).toHTTPRequest().send().getStatusCode()).isEqualTo(200);
		assertThat(t.introspect(basic, renewed).get("active").asBoolean()).isFalse();
		assertThat(t.userinfo(renewed).status()).isEqualTo(401);
		assertThat(t.introspect(basic, access).get("active").asBoolean()).isFalse();
		assertThat(t.userinfo(access).status()).isEqualTo(401);

		// An administrator's sign-out everywhere ends the access tokens of every sign-in of the account.
		String another;
		try (Browser browser = new Browser()) {
			another = SignInSupport.tokens(rp, SignInSupport.signIn(browser, rp, email, SignInSupport.PASSWORD, "openid"))
				.getOIDCTokens()
				.getAccessToken()
				.getValue();
		}
		assertThat(t.userinfo(another).status()).isEqualTo(200);
		assertThat(this.api.post(user + "/revokeSignInSessions", Map.of()).status()).isEqualTo(204);
		assertThat(t.userinfo(another).status()).isEqualTo(401);
		assertThat(t.introspect(basic, another).get("active").asBoolean()).isFalse();

		// Blocking the account ends its tokens at once, and for good: unblocking it resumes none of them.
		OIDCTokenResponse last = signIn(rp, email);
		String lastAccess = last.getOIDCTokens().getAccessToken().getValue();
		assertThat(t.userinfo(lastAccess).status()).isEqualTo(200);
		this.api.patch(user, Map.of("accountEnabled", false));
		assertThat(t.userinfo(lastAccess).status()).isEqualTo(401);
		assertThat(t.introspect(basic, lastAccess).get("active").asBoolean()).isFalse();
		this.api.patch(user, Map.of("accountEnabled", true));
		assertThat(t.userinfo(lastAccess).status()).isEqualTo(401);
		assertThat(rp.token(new RefreshTokenGrant(last.getOIDCTokens().getRefreshToken())).indicatesSuccess()).isFalse();
		assertThat(t.userinfo(signIn(rp, email).getOIDCTokens().getAccessToken().getValue()).status()).isEqualTo(200);
	}

	@Test
	void aReplacedAccessTokenEndsWithItsFamily() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "replaced", "web");
		String email = "replaced@example.com";
		String user = "/api/v1/tenants/" + t.tenant + "/users/" + t.user(email);
		OidcClient rp = t.client();
		String basic = SignInSupport.basic(t.app);

		// Revoking the refresh token (an app signing out) ends every access token of the family, replaced ones too.
		OIDCTokenResponse first = signIn(rp, email);
		AccessTokenResponse second = rp.token(new RefreshTokenGrant(first.getOIDCTokens().getRefreshToken()))
			.toSuccessResponse();
		String a = first.getOIDCTokens().getAccessToken().getValue();
		assertThat(t.introspect(basic, a).get("active").asBoolean()).isTrue();
		assertThat(new TokenRevocationRequest(rp.metadata.getRevocationEndpointURI(), rp.auth(),
				second.getTokens().getRefreshToken()).toHTTPRequest().send().getStatusCode()).isEqualTo(200);
		assertThat(t.introspect(basic, a).get("active").asBoolean()).isFalse();
		assertThat(t.userinfo(a).status()).isEqualTo(401);

		// A reused refresh token revokes the family: its replaced access tokens end with it.
		OIDCTokenResponse again = signIn(rp, email);
		rp.token(new RefreshTokenGrant(again.getOIDCTokens().getRefreshToken())).toSuccessResponse();
		String b = again.getOIDCTokens().getAccessToken().getValue();
		assertThat(t.userinfo(b).status()).isEqualTo(200);
		assertThat(rp.token(new RefreshTokenGrant(again.getOIDCTokens().getRefreshToken())).indicatesSuccess()).isFalse();
		assertThat(t.userinfo(b).status()).isEqualTo(401);

		// A blocked account's replaced access tokens stop at once too.
		OIDCTokenResponse third = signIn(rp, email);
		rp.token(new RefreshTokenGrant(third.getOIDCTokens().getRefreshToken())).toSuccessResponse();
		String c = third.getOIDCTokens().getAccessToken().getValue();
		assertThat(t.userinfo(c).status()).isEqualTo(200);
		this.api.patch(user, Map.of("accountEnabled", false));
		assertThat(t.userinfo(c).status()).isEqualTo(401);
		assertThat(t.introspect(basic, c).get("active").asBoolean()).isFalse();
	}

	private static OIDCTokenResponse signIn(OidcClient rp, String email) throws Exception {
		try (Browser browser = new Browser()) {
			return SignInSupport.tokens(rp,
					SignInSupport.signIn(browser, rp, email, SignInSupport.PASSWORD, "openid profile email offline_access"));
		}
	}

	@Test
	void aTokenVerifiedBeforeStopsWhenItsKeyIsRetired() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "retired", "web");
		t.user("retired@example.com");
		OidcClient rp = t.client();
		String access;
		try (Browser browser = new Browser()) {
			access = SignInSupport.tokens(rp, SignInSupport.signIn(browser, rp, "retired@example.com", SignInSupport.PASSWORD,
					"openid")).getOIDCTokens().getAccessToken().getValue();
		}
		assertThat(t.userinfo(access).status()).isEqualTo(200);
		// One rotation keeps the token's key as the previous one; a second retires it.
		assertThat(this.api.post("/api/v1/tenants/" + t.tenant + "/keys/rotate", Map.of()).status()).isEqualTo(200);
		assertThat(t.userinfo(access).status()).isEqualTo(200);
		assertThat(this.api.post("/api/v1/tenants/" + t.tenant + "/keys/rotate", Map.of()).status()).isEqualTo(200);
		assertThat(t.userinfo(access).status()).isEqualTo(401);
	}

}
