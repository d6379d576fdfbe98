package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;

/**
 * Public apps (mobile and single-page) get refresh tokens when they ask for offline_access, present them with their
 * client id alone, and are held to rotation with reuse detection like every app; a single-page app's chain ends a day
 * after sign-in.
 */
@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class PublicClientRefreshTest extends FoyerIntegrationTest {

	private static String error(TokenResponse response) {
		return response.indicatesSuccess() ? null : ((TokenErrorResponse) response).getErrorObject().getCode();
	}

	private static OIDCTokenResponse signIn(SignInSupport t, OidcClient rp, String email, String scope) throws Exception {
		try (Browser browser = new Browser()) {
			return SignInSupport.tokens(rp, SignInSupport.signIn(browser, rp, email, SignInSupport.PASSWORD, scope));
		}
	}

	@Test
	void aNativeAppRefreshesWithItsClientIdAloneAndIsHeldToRotation() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "native-rt", "native");
		t.user("mobile@example.com");
		OidcClient rp = t.client();
		assertThat(signIn(t, rp, "mobile@example.com", "openid").getOIDCTokens().getRefreshToken())
			.as("no offline_access, no refresh token").isNull();

		RefreshToken first = signIn(t, rp, "mobile@example.com", "openid offline_access").getOIDCTokens().getRefreshToken();
		assertThat(first).isNotNull();
		TokenResponse refreshed = rp.token(new RefreshTokenGrant(first));
		assertThat(error(refreshed)).isNull();
		OIDCTokenResponse second = (OIDCTokenResponse) refreshed.toSuccessResponse();
		assertThat(second.getOIDCTokens().getIDToken()).isNotNull();
		RefreshToken next = second.getOIDCTokens().getRefreshToken();
		assertThat(next).isNotNull().isNotEqualTo(first);

		// Another app's client id cannot use it, even a public one of the same tenant.
		OidcClient other = new SignInSupport(this.api, "native-rt2", "native").client();
		assertThat(error(new OidcClient(this.api.issuer(t.tenant), other.clientId.getValue(), null, t.callback)
			.token(new RefreshTokenGrant(next)))).isIn("invalid_client", "invalid_grant");

		// The first token again: reuse, and the whole chain ends.
		assertThat(error(rp.token(new RefreshTokenGrant(first)))).isEqualTo("invalid_grant");
		assertThat(error(rp.token(new RefreshTokenGrant(next)))).isEqualTo("invalid_grant");

		// The app revokes a chain on sign-out, with its client id alone too.
		RefreshToken revoked = signIn(t, rp, "mobile@example.com", "openid offline_access").getOIDCTokens().getRefreshToken();
		assertThat(new TokenRevocationRequest(rp.metadata.getRevocationEndpointURI(), rp.clientId, revoked).toHTTPRequest()
			.send()
			.getStatusCode()).isEqualTo(200);
		assertThat(error(rp.token(new RefreshTokenGrant(revoked)))).isEqualTo("invalid_grant");
	}

	@Test
	void aCodeExchangeWithoutItsVerifierIsInvalidGrantAndLeavesTheCodeUsable() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "spa-pkce", "spa");
		t.user("pkce@example.com");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			AuthorizationCode code = SignInSupport.signIn(browser, rp, "pkce@example.com", SignInSupport.PASSWORD, "openid")
				.toSuccessResponse()
				.getAuthorizationCode();
			assertThat(error(rp.token(new AuthorizationCodeGrant(code, rp.redirectUri)))).isEqualTo("invalid_grant");
			assertThat(error(rp.exchange(code))).isNull();
		}
	}

	@Test
	void aConfidentialAppStillNeedsItsSecretToRefresh() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "web-rt", "web");
		t.user("web@example.com");
		OidcClient rp = t.client();
		RefreshToken token = signIn(t, rp, "web@example.com", "openid offline_access").getOIDCTokens().getRefreshToken();
		OidcClient withoutSecret = new OidcClient(this.api.issuer(t.tenant), rp.clientId.getValue(), null, t.callback);
		assertThat(error(withoutSecret.token(new RefreshTokenGrant(token)))).isEqualTo("invalid_client");
		assertThat(new TokenRevocationRequest(rp.metadata.getRevocationEndpointURI(), new ClientID(rp.clientId.getValue()),
				token).toHTTPRequest().send().getStatusCode()).isEqualTo(401);
		assertThat(error(rp.token(new RefreshTokenGrant(token)))).as("the refused requests changed nothing").isNull();
	}

	@Test
	void aSinglePageAppsChainEndsADayAfterSignIn() throws Exception {
		SignInSupport spa = new SignInSupport(this.api, "spa-rt", "spa");
		spa.user("browser@example.com");
		OidcClient spaRp = spa.client();
		SignInSupport mobile = new SignInSupport(this.api, "native-day", "native");
		mobile.user("phone@example.com");
		OidcClient mobileRp = mobile.client();
		RefreshToken spaToken = signIn(spa, spaRp, "browser@example.com", "openid offline_access").getOIDCTokens()
			.getRefreshToken();
		RefreshToken mobileToken = signIn(mobile, mobileRp, "phone@example.com", "openid offline_access").getOIDCTokens()
			.getRefreshToken();
		assertThat(spaToken).isNotNull();
		Timestamp dayAndHourAgo = Timestamp.from(Instant.now().minus(Duration.ofHours(25)));
		for (String tenant : new String[] { spa.tenant, mobile.tenant }) {
			this.jdbc.sql("update oauth2_authorization set family_created_at = ? where tenant_id = ?")
				.params(dayAndHourAgo, tenant)
				.update();
		}
		assertThat(error(spaRp.token(new RefreshTokenGrant(spaToken)))).isEqualTo("invalid_grant");
		assertThat(error(mobileRp.token(new RefreshTokenGrant(mobileToken)))).as("a native app's chain lasts 90 days").isNull();
	}

}
