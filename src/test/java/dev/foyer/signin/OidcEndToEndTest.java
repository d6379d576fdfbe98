package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;

import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.MailServer;
import dev.foyer.support.TestFoyer;
import tools.jackson.databind.JsonNode;

/**
 * The whole life of a customer, as an app built on Nimbus oauth2-oidc-sdk and a person in a browser see it:
 * sign-up with a mailed code, sign-in, tokens validated against the JWKS, userinfo, refresh with rotation, reuse of
 * an old refresh token detected, and RP-initiated logout.
 */
@ContextConfiguration(initializers = TestFoyer.OnH2WithMail.class)
class OidcEndToEndTest extends FoyerIntegrationTest {

	private String tenant;

	private JsonNode app;

	private URI callback;

	@BeforeEach
	void register() {
		this.tenant = this.api.newTenant("shop");
		this.callback = URI.create(this.api.base() + "/callback");
		this.app = this.api.post("/api/v1/tenants/" + this.tenant + "/applications",
				Map.of("displayName", "Shop", "type", "web", "redirectUris", List.of(this.callback.toString()),
						"postLogoutRedirectUris", List.of(this.api.base() + "/bye")))
			.json();
	}

	private OidcClient client() throws Exception {
		return new OidcClient(this.api.issuer(this.tenant), this.app.get("clientId").asString(),
				this.app.get("clientSecret").asString(), this.callback);
	}

	@Test
	void signUpSignInTokensUserinfoRefreshReuseAndLogout() throws Exception {
		OidcClient rp = client();
		String email = "ada." + System.nanoTime() + "@example.com";
		try (Browser browser = new Browser()) {
			// Sign-up, from the app's authorization request.
			browser.open(rp.authorizationRequest("openid profile email offline_access").toString());
			assertThat(browser.text()).contains("Sign in").contains("Tenant " + this.tenant);
			browser.follow("Create one").fill("Email address", email).click("Send code");
			browser.fill("Verification code", MailServer.latestCode(email)).click("Verify");
			browser.fill("New password", "a long and lovely passphrase").fill("Given name", "Ada").fill("Surname", "Lovelace")
				.click("Create account");

			AuthenticationResponse response = AuthenticationResponseParser.parse(browser.url());
			// Stateless nodes: no servlet session, only Foyer's own tenant-scoped cookies.
			assertThat(browser.client().getCookieManager().getCookies()).noneMatch(c -> c.getName().equals("JSESSIONID"));
			assertThat(response.indicatesSuccess()).as(browser.url().toString()).isTrue();
			assertThat(response.getState()).isEqualTo(rp.state);
			assertThat(response.toSuccessResponse().getIssuer().getValue()).isEqualTo(this.api.issuer(this.tenant));
			AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();

			// Code exchange, ID token validated against the published keys.
			OIDCTokenResponse tokens = (OIDCTokenResponse) rp.exchange(code).toSuccessResponse();
			JWT idToken = tokens.getOIDCTokens().getIDToken();
			rp.validate(idToken);
			JWTClaimsSet claims = idToken.getJWTClaimsSet();
			assertThat(claims.getStringClaim("email")).isEqualTo(email);
			assertThat(claims.getBooleanClaim("email_verified")).isTrue();
			assertThat(claims.getStringClaim("given_name")).isEqualTo("Ada");
			assertThat(claims.getStringClaim("family_name")).isEqualTo("Lovelace");
			assertThat(claims.getStringClaim("name")).isEqualTo("Ada Lovelace");
			assertThat(claims.getStringListClaim("amr")).contains("pwd");
			assertThat(claims.getStringClaim("sid")).isNotBlank();
			assertThat(claims.getClaim("auth_time")).isNotNull();
			assertThat(claims.getClaim("at_hash")).isNotNull();
			assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(3_600_000L);
			String subject = claims.getSubject();
			assertThat(this.api.get("/api/v1/tenants/" + this.tenant + "/users/" + subject).json().get("email").asString())
				.isEqualTo(email);

			// Access token per RFC 9068.
			BearerAccessToken accessToken = tokens.getOIDCTokens().getBearerAccessToken();
			com.nimbusds.jwt.SignedJWT access = com.nimbusds.jwt.SignedJWT.parse(accessToken.getValue());
			assertThat(access.getHeader().getType().getType()).isEqualTo("at+jwt");
			assertThat(access.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(rp.clientId.getValue());
			assertThat(access.getJWTClaimsSet().getStringClaim("scope")).contains("openid").contains("email");

			// Userinfo.
			UserInfoResponse userInfo = UserInfoResponse
				.parse(new UserInfoRequest(rp.metadata.getUserInfoEndpointURI(), accessToken).toHTTPRequest().send());
			assertThat(userInfo.indicatesSuccess())
				.as(() -> userInfo.toErrorResponse().getErrorObject().toJSONObject().toString())
				.isTrue();
			assertThat(userInfo.toSuccessResponse().getUserInfo().getEmailAddress()).isEqualTo(email);
			assertThat(userInfo.toSuccessResponse().getUserInfo().getSubject().getValue()).isEqualTo(subject);

			// Refresh rotates the refresh token.
			RefreshToken first = tokens.getOIDCTokens().getRefreshToken();
			TokenResponse refreshed = rp.token(new RefreshTokenGrant(first));
			assertThat(refreshed.indicatesSuccess()).isTrue();
			RefreshToken second = refreshed.toSuccessResponse().getTokens().getRefreshToken();
			assertThat(second.getValue()).isNotEqualTo(first.getValue());

			// Reusing the first refresh token is detected and revokes the whole family.
			TokenResponse reused = rp.token(new RefreshTokenGrant(first));
			assertThat(reused.indicatesSuccess()).isFalse();
			assertThat(((TokenErrorResponse) reused).getErrorObject().getCode()).isEqualTo("invalid_grant");
			assertThat(rp.token(new RefreshTokenGrant(second)).indicatesSuccess()).isFalse();

			// Single sign-on: a second authorization request goes straight back with a code.
			OidcClient again = client();
			browser.open(again.authorizationRequest("openid").toString());
			AuthenticationResponse sso = AuthenticationResponseParser.parse(browser.url());
			assertThat(sso.indicatesSuccess()).isTrue();
			OIDCTokenResponse ssoTokens = (OIDCTokenResponse) again.exchange(sso.toSuccessResponse().getAuthorizationCode())
				.toSuccessResponse();
			IDTokenClaimsSet ssoClaims = again.idTokenValidator(com.nimbusds.jose.JWSAlgorithm.RS256)
				.validate(ssoTokens.getOIDCTokens().getIDToken(), again.nonce);
			assertThat(ssoClaims.getSubject().getValue()).isEqualTo(subject);
			assertThat(ssoClaims.getStringClaim("sid")).isEqualTo(claims.getStringClaim("sid"));

			// RP-initiated logout ends the SSO session and returns to the registered address with the state.
			com.nimbusds.oauth2.sdk.id.State logoutState = new com.nimbusds.oauth2.sdk.id.State();
			browser.open(new LogoutRequest(rp.metadata.getEndSessionEndpointURI(), ssoTokens.getOIDCTokens().getIDToken(),
					URI.create(this.api.base() + "/bye"), logoutState).toURI().toString());
			assertThat(browser.url().getPath()).isEqualTo("/bye");
			assertThat(browser.url().getQuery()).isEqualTo("state=" + logoutState.getValue());

			// Signed out: prompt=none now fails with login_required instead of issuing a code.
			OidcClient after = client();
			browser.open(after.authorizationRequest("openid", "prompt", "none").toString());
			AuthenticationResponse none = AuthenticationResponseParser.parse(browser.url());
			assertThat(none.indicatesSuccess()).as(browser.url().toString()).isFalse();
			assertThat(none.toErrorResponse().getErrorObject().getCode()).isEqualTo("login_required");

			// And password sign-in works for the new account.
			OidcClient signIn = client();
			browser.open(signIn.authorizationRequest("openid email").toString());
			browser.fill("Email address", email).fill("Password", "a long and lovely passphrase").click("Sign in");
			AuthenticationResponse signedIn = AuthenticationResponseParser.parse(browser.url());
			assertThat(signedIn.indicatesSuccess()).as(browser.text()).isTrue();
			assertThat(signIn.exchange(signedIn.toSuccessResponse().getAuthorizationCode()).indicatesSuccess()).isTrue();
		}
	}

}
