package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import dev.foyer.support.AtOnce;
import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;

/**
 * A code or a refresh token presented several times at once is taken once: the others fail as a replay does, and
 * the whole family is revoked, as it is for a replay one after the other (RFC 6749 4.1.2, RFC 9700 4.14.2). Without
 * the check, every request that read the authorization before the first one wrote it got its own tokens. Run on
 * both databases, whose row locks differ.
 */
abstract class ConcurrentGrantsScenarios extends FoyerIntegrationTest {

	private static final int AT_ONCE = 6;

	@Test
	void aCodeExchangedSeveralTimesAtOnceIsTakenOnce() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "race-code", "web");
		t.user("race@example.com");
		OidcClient rp = t.client();
		for (int attempt = 0; attempt < 3; attempt++) {
			AuthorizationCode code;
			try (Browser browser = new Browser()) {
				code = SignInSupport.signIn(browser, rp, "race@example.com", SignInSupport.PASSWORD, "openid offline_access")
					.toSuccessResponse()
					.getAuthorizationCode();
			}
			List<TokenResponse> answers = AtOnce.run(AT_ONCE, () -> rp.exchange(code));
			List<TokenResponse> granted = answers.stream().filter(TokenResponse::indicatesSuccess).toList();
			// One exchange gets tokens (none at all would pass a looser check while the grant was broken).
			assertThat(granted.size()).as("exchanges that got tokens").isEqualTo(1);
			assertThat(answers).allSatisfy(answer -> assertThat(answer.indicatesSuccess()
					|| answer.toErrorResponse().getErrorObject().getCode().equals("invalid_grant")).isTrue());
			// The others were replays: what the first one got is revoked.
			RefreshToken issued = ((OIDCTokenResponse) granted.get(0).toSuccessResponse()).getOIDCTokens().getRefreshToken();
			assertThat(rp.token(new RefreshTokenGrant(issued)).indicatesSuccess()).isFalse();
		}
	}

	@Test
	void aRefreshTokenPresentedSeveralTimesAtOnceIsTakenOnce() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "race-refresh", "web");
		t.user("race@example.com");
		OidcClient rp = t.client();
		RefreshToken token;
		try (Browser browser = new Browser()) {
			token = SignInSupport.tokens(rp,
					SignInSupport.signIn(browser, rp, "race@example.com", SignInSupport.PASSWORD, "openid offline_access"))
				.getOIDCTokens()
				.getRefreshToken();
		}
		List<TokenResponse> answers = AtOnce.run(AT_ONCE, () -> rp.token(new RefreshTokenGrant(token)));
		List<TokenResponse> granted = answers.stream().filter(TokenResponse::indicatesSuccess).toList();
		assertThat(granted.size()).as("refreshes that got tokens").isEqualTo(1);
		assertThat(answers).allSatisfy(answer -> assertThat(answer.indicatesSuccess()
				|| answer.toErrorResponse().getErrorObject().getCode().equals("invalid_grant")).isTrue());
		// The others were reuse: the chain is revoked, the winner's new refresh token too.
		RefreshToken next = ((OIDCTokenResponse) granted.get(0).toSuccessResponse()).getOIDCTokens().getRefreshToken();
		assertThat(rp.token(new RefreshTokenGrant(next)).indicatesSuccess()).isFalse();
	}

}
