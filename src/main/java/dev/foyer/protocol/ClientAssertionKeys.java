package dev.foyer.protocol;

import java.text.ParseException;
import java.util.List;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionDecoderFactory;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Component;

import com.nimbusds.jose.jwk.JWKSet;

import dev.foyer.application.Client;

/**
 * Verifies private_key_jwt client assertions (RFC 7523) against the public keys the app registered in Foyer, with
 * Spring Authorization Server's standard checks (iss and sub are the client id, aud is this tenant's token endpoint
 * or issuer, exp and nbf hold).
 */
@Component
class ClientAssertionKeys implements JwtDecoderFactory<RegisteredClient> {

	private final TenantClientRepository clients;

	ClientAssertionKeys(TenantClientRepository clients) {
		this.clients = clients;
	}

	@Override
	public JwtDecoder createDecoder(RegisteredClient registeredClient) {
		Client client = this.clients.client(registeredClient.getId())
			.orElseThrow(() -> new IllegalStateException("Unknown client " + registeredClient.getClientId()));
		JWKSet keys;
		try {
			keys = client.application().jwks() == null ? new JWKSet() : JWKSet.parse(client.application().jwks());
		}
		catch (ParseException ex) {
			keys = new JWKSet();
		}
		JWKSet registered = keys;
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource((selector, context) -> selector.select(registered))
			.jwsAlgorithms(algorithms -> algorithms.addAll(List.of(SignatureAlgorithm.RS256, SignatureAlgorithm.PS256,
					SignatureAlgorithm.ES256)))
			.build();
		decoder.setJwtValidator(JwtClientAssertionDecoderFactory.DEFAULT_JWT_VALIDATOR_FACTORY.apply(registeredClient));
		return decoder;
	}

}
