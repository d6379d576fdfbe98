package dev.foyer.keys;

import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWK;

/** A tenant's current signing key, ready to sign: its signer is built once and reused. */
public record ActiveKey(String kid, SigningAlgorithm algorithm, JWSSigner signer, JWK publicJwk) {
}
