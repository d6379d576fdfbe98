package dev.foyer.application;

import java.text.ParseException;
import java.util.Map;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import dev.foyer.web.FieldChecks;

/**
 * The public keys a confidential app registers to authenticate with private_key_jwt (RFC 7523): a JWK Set of at
 * most {@link #MAX_KEYS} public RSA or EC keys. A private part is refused: it must never leave the app.
 */
final class ClientKeys {

	static final int MAX_KEYS = 10;

	private ClientKeys() {
	}

	static Map<String, Object> check(FieldChecks checks, String field, Map<String, Object> jwks, AppType type) {
		if (jwks.isEmpty()) {
			return null;
		}
		if (!type.confidential()) {
			checks.problem(field, "only confidential (web, service) applications authenticate with keys");
			return null;
		}
		JWKSet set;
		try {
			set = JWKSet.parse(jwks);
		}
		catch (ParseException ex) {
			checks.problem(field, "is not a JWK Set: " + ex.getMessage());
			return null;
		}
		if (set.getKeys().isEmpty() || set.getKeys().size() > MAX_KEYS) {
			checks.problem(field, "must hold 1 to " + MAX_KEYS + " keys");
			return null;
		}
		for (JWK key : set.getKeys()) {
			if (key.isPrivate()) {
				checks.problem(field, "must hold public keys only; never send a private key");
				return null;
			}
			if (!(key.getKeyType().getValue().equals("RSA") || key.getKeyType().getValue().equals("EC"))) {
				checks.problem(field, "keys must be RSA or EC");
				return null;
			}
		}
		return set.toJSONObject(true);
	}

}
