package dev.foyer.protocol;

import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.event.EventListener;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTParser;

import dev.foyer.config.BaseUrl;
import dev.foyer.keys.SigningKeys;
import dev.foyer.tenant.TenantDeletedEvent;
import dev.foyer.tenant.Tenants;

/**
 * Validates access tokens of any tenant: the token's issuer names the tenant, whose own keys must have signed
 * it (RS256 or ES256 only, so {@code alg: none} and HMAC tricks fail), with {@code typ: at+jwt} (an ID token is
 * not an access token), unexpired. Where an OAuth endpoint of a tenant is serving, the token must be that
 * tenant's.
 */
@Component
public class TenantTokenDecoder implements JwtDecoder {

	private final BaseUrl baseUrl;

	private final Tenants tenants;

	private final SigningKeys keys;

	private final TenantContext context;

	private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();

	/**
	 * Tokens this node has verified, by their whole text. Checking an RS256 signature and parsing the token was half
	 * of a userinfo request, and an app presents the same access token many times. A token is taken from here only
	 * while its tenant exists and publishes the very key set it was verified with (a rotation or a key retired
	 * replaces the set), and its time claims are checked again on each use.
	 */
	private final Map<String, Verified> verified = new ConcurrentHashMap<>();

	/** Enough for the access tokens in use on one node at once; each entry is a few kilobytes. */
	static final int VERIFIED_CAPACITY = 4_096;

	private final JwtTimestampValidator timestamps = new JwtTimestampValidator();

	private record Verified(Jwt jwt, String tenantId, JWKSet keys) {
	}

	TenantTokenDecoder(BaseUrl baseUrl, Tenants tenants, SigningKeys keys, TenantContext context) {
		this.baseUrl = baseUrl;
		this.tenants = tenants;
		this.keys = keys;
		this.context = context;
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		Verified known = this.verified.get(token);
		if (known != null) {
			if (this.tenants.find(known.tenantId()).isPresent() && this.keys.publicKeys(known.tenantId()) == known.keys()) {
				requireServing(known.tenantId());
				if (this.timestamps.validate(known.jwt()).hasErrors()) {
					this.verified.remove(token);
					throw new BadJwtException("Token has expired");
				}
				return known.jwt();
			}
			this.verified.remove(token);
		}
		String issuer;
		try {
			issuer = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
		}
		catch (ParseException ex) {
			throw new BadJwtException("Malformed token");
		}
		String tenantId = this.baseUrl.tenantOfIssuer(issuer)
			.filter(id -> this.tenants.find(id).isPresent())
			.orElseThrow(() -> new BadJwtException("Token is not issued by a tenant of this server"));
		requireServing(tenantId);
		// The key set is taken before the check, so that a rotation during it leaves an entry that is never used.
		JWKSet keys = this.keys.publicKeys(tenantId);
		Jwt jwt = this.decoders.computeIfAbsent(tenantId, this::decoderFor).decode(token);
		if (this.verified.size() >= VERIFIED_CAPACITY) {
			this.verified.keySet().stream().findAny().ifPresent(this.verified::remove);
		}
		this.verified.put(token, new Verified(jwt, tenantId, keys));
		return jwt;
	}

	// Where an OAuth endpoint of a tenant is serving, the token must be that tenant's.
	private void requireServing(String tenantId) {
		Optional<String> serving = this.context.currentTenant();
		if (serving.isPresent() && !serving.get().equals(tenantId)) {
			throw new BadJwtException("Token belongs to another tenant");
		}
	}

	private JwtDecoder decoderFor(String tenantId) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder
			.withJwkSource((selector, ctx) -> selector.select(this.keys.publicKeys(tenantId)))
			.jwsAlgorithms(algorithms -> algorithms.addAll(List.of(SignatureAlgorithm.RS256, SignatureAlgorithm.ES256)))
			.build();
		JwtTypeValidator accessTokensOnly = new JwtTypeValidator(TokenShape.ACCESS_TOKEN_TYPE);
		accessTokensOnly.setAllowEmpty(false);
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(accessTokensOnly, new JwtTimestampValidator(),
				new JwtIssuerValidator(this.baseUrl.issuer(tenantId))));
		return decoder;
	}

	@EventListener
	void tenantDeleted(TenantDeletedEvent event) {
		this.decoders.remove(event.tenantId());
		this.verified.values().removeIf(known -> known.tenantId().equals(event.tenantId()));
	}


}
