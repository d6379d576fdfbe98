package dev.foyer.signin;

import java.net.URI;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;

import dev.foyer.support.Api;
import tools.jackson.databind.JsonNode;

/** Nimbus relying parties for tests outside this package. */
public final class OidcTestClients {

	private OidcTestClients() {
	}

	public static Client client(Api api, String tenant, JsonNode app) throws Exception {
		return new Client(new OidcClient(api.issuer(tenant), app.get("clientId").asString(),
				app.get("clientSecret") == null ? null : app.get("clientSecret").asString(), URI.create(api.base() + "/callback")));
	}

	/** A confidential web app's relying party. */
	public record Client(OidcClient rp) {

		public URI authorizationRequest(String scope, String... extra) {
			return this.rp.authorizationRequest(scope, extra);
		}

		/** Exchanges the code for tokens. */
		public com.nimbusds.openid.connect.sdk.OIDCTokenResponse exchange(AuthenticationResponse response) throws Exception {
			return SignInSupport.tokens(this.rp, response);
		}

		/** The token endpoint's answer to the code, success or error. */
		public com.nimbusds.oauth2.sdk.TokenResponse exchangeForAnswer(AuthenticationResponse response) throws Exception {
			return this.rp.exchange(response.toSuccessResponse().getAuthorizationCode());
		}

		/** True when the refresh token of these tokens still works (and rotates it). */
		public boolean refresh(com.nimbusds.openid.connect.sdk.OIDCTokenResponse tokens) throws Exception {
			return this.rp.token(new com.nimbusds.oauth2.sdk.RefreshTokenGrant(tokens.getOIDCTokens().getRefreshToken()))
				.indicatesSuccess();
		}

		/** Exchanges the code and returns the claims of the validated ID token. */
		public JWTClaimsSet exchangeForIdClaims(AuthenticationResponse response) throws Exception {
			var tokens = SignInSupport.tokens(this.rp, response);
			this.rp.validate(tokens.getOIDCTokens().getIDToken());
			return tokens.getOIDCTokens().getIDToken().getJWTClaimsSet();
		}

	}

}
