package dev.foyer.protocol;

import java.text.ParseException;
import java.util.List;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
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
 * or issuer, exp and nbf hold), then takes the assertion's jti once ({@link ClientAssertionReplay}).
 */
@Component
class ClientAssertionKeys implements JwtDecoderFactory<RegisteredClient> {

	/** What an assertion may be signed with; discovery advertises the same list. */
	static final List<SignatureAlgorithm> ALGORITHMS = List.of(SignatureAlgorithm.RS256, SignatureAlgorithm.PS256,
			SignatureAlgorithm.ES256);

	private final TenantClientRepository clients;

	private final ClientAssertionReplay replay;

	ClientAssertionKeys(TenantClientRepository clients, ClientAssertionReplay replay) {
		this.clients = clients;
		this.replay = replay;
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
			.jwsAlgorithms(algorithms -> algorithms.addAll(ALGORITHMS))
			.build();
		OAuth2TokenValidator<Jwt> standard = JwtClientAssertionDecoderFactory.DEFAULT_JWT_VALIDATOR_FACTORY
			.apply(registeredClient);
		OAuth2TokenValidator<Jwt> firstUse = this.replay.firstUseOf(client.application());
		// Spring's composite validator runs every check even after one failed; a jti is taken only once the
		// assertion's issuer, subject, audience and times have held.
		decoder.setJwtValidator(assertion -> {
			OAuth2TokenValidatorResult checked = standard.validate(assertion);
			return checked.hasErrors() ? checked : firstUse.validate(assertion);
		});
		return decoder;
	}

}
