package dev.foyer.protocol;

import java.net.URL;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.Map;

import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtEncodingException;
import org.springframework.stereotype.Component;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.foyer.config.BaseUrl;
import dev.foyer.keys.ActiveKey;
import dev.foyer.keys.SigningAlgorithm;
import dev.foyer.keys.SigningKeys;

/**
 * Signs every token with the current key, of the algorithm its header asks for, of the tenant named by its
 * {@code iss} claim. The signer is built once
 * per key and reused, so a token costs one signature and nothing else.
 */
@Component
class TenantJwtEncoder implements JwtEncoder {

	private final SigningKeys keys;

	private final BaseUrl baseUrl;

	TenantJwtEncoder(SigningKeys keys, BaseUrl baseUrl) {
		this.keys = keys;
		this.baseUrl = baseUrl;
	}

	@Override
	public Jwt encode(JwtEncoderParameters parameters) {
		JwtClaimsSet claims = parameters.getClaims();
		Object issuer = claims.getClaims().get("iss");
		String tenantId = this.baseUrl.tenantOfIssuer(issuer == null ? null : issuer.toString())
			.orElseThrow(() -> new JwtEncodingException("Token has no tenant issuer: " + issuer));
		JwsHeader requested = parameters.getJwsHeader();
		ActiveKey key = this.keys.activeKey(tenantId, algorithm(requested));
		JWSHeader.Builder header = new JWSHeader.Builder(key.algorithm().jws()).keyID(key.kid());
		if (requested != null && requested.getType() != null) {
			header.type(new JOSEObjectType(requested.getType()));
		}
		JWTClaimsSet.Builder nimbusClaims = new JWTClaimsSet.Builder();
		claims.getClaims().forEach((name, value) -> nimbusClaims.claim(name, toJson(value)));
		SignedJWT jwt = new SignedJWT(header.build(), nimbusClaims.build());
		try {
			jwt.sign(key.signer());
		}
		catch (JOSEException ex) {
			throw new JwtEncodingException("Could not sign the token", ex);
		}
		JWSHeader signed = jwt.getHeader();
		return Jwt.withTokenValue(jwt.serialize())
			.headers(h -> h.putAll(signed.toJSONObject()))
			.claims(c -> c.putAll(claims.getClaims()))
			.build();
	}

	// The token shaper chooses the algorithm (tenant and app policy); anything but ours is refused.
	private static SigningAlgorithm algorithm(JwsHeader header) {
		String name = header == null || header.getAlgorithm() == null ? "RS256" : header.getAlgorithm().getName();
		try {
			return SigningAlgorithm.valueOf(name);
		}
		catch (IllegalArgumentException ex) {
			throw new JwtEncodingException("Unsupported signing algorithm " + name);
		}
	}

	// JWT numeric dates are seconds; Nimbus writes java.util.Date as such.
	private static Object toJson(Object value) {
		if (value instanceof Instant instant) {
			return Date.from(instant);
		}
		if (value instanceof URL url) {
			return url.toString();
		}
		if (value instanceof Collection<?> collection) {
			return collection.stream().map(TenantJwtEncoder::toJson).toList();
		}
		if (value instanceof Map<?, ?> map) {
			return map;
		}
		return value;
	}

}
