package dev.foyer.signin;

import java.io.IOException;
import java.net.URI;
import java.net.URL;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

/**
 * A relying party built on an independent, certified OIDC library (Nimbus oauth2-oidc-sdk): what any app developer
 * would use against Foyer.
 */
final class OidcClient {

	final OIDCProviderMetadata metadata;

	final ClientID clientId;

	final Secret secret;

	final URI redirectUri;

	final State state = new State();

	final Nonce nonce = new Nonce();

	final CodeVerifier verifier = new CodeVerifier();

	OidcClient(String issuer, String clientId, String secret, URI redirectUri) throws Exception {
		this.metadata = OIDCProviderMetadata.resolve(new Issuer(issuer));
		this.clientId = new ClientID(clientId);
		this.secret = secret == null ? null : new Secret(secret);
		this.redirectUri = redirectUri;
	}

	URI authorizationRequest(String scope, String... extra) {
		AuthenticationRequest.Builder builder = new AuthenticationRequest.Builder(ResponseType.CODE, Scope.parse(scope),
				this.clientId, this.redirectUri)
			.endpointURI(this.metadata.getAuthorizationEndpointURI())
			.state(this.state)
			.nonce(this.nonce)
			.codeChallenge(this.verifier, CodeChallengeMethod.S256);
		for (int i = 0; i + 1 < extra.length; i += 2) {
			builder.customParameter(extra[i], extra[i + 1]);
		}
		return builder.build().toURI();
	}

	ClientAuthentication auth() {
		return new ClientSecretBasic(this.clientId, this.secret);
	}

	TokenResponse exchange(AuthorizationCode code) throws IOException, ParseException {
		return token(new AuthorizationCodeGrant(code, this.redirectUri, this.verifier));
	}

	TokenResponse token(AuthorizationGrant grant) throws IOException, ParseException {
		TokenRequest request = this.secret == null
				? new TokenRequest(this.metadata.getTokenEndpointURI(), this.clientId, grant)
				: new TokenRequest(this.metadata.getTokenEndpointURI(), auth(), grant);
		return OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
	}

	IDTokenValidator idTokenValidator(JWSAlgorithm algorithm) throws Exception {
		return new IDTokenValidator(this.metadata.getIssuer(), this.clientId, algorithm,
				new URL(this.metadata.getJWKSetURI().toString()));
	}

	void validate(JWT idToken) throws Exception {
		idTokenValidator(JWSAlgorithm.RS256).validate(idToken, this.nonce);
	}

}
