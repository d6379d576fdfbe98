package dev.foyer.keys;

import java.util.Arrays;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;

/** The token signing algorithms a tenant can choose. RS256 is the default every client library accepts. */
public enum SigningAlgorithm {

	RS256(JWSAlgorithm.RS256), ES256(JWSAlgorithm.ES256);

	private final JWSAlgorithm jws;

	SigningAlgorithm(JWSAlgorithm jws) {
		this.jws = jws;
	}

	public JWSAlgorithm jws() {
		return this.jws;
	}

	public static List<String> names() {
		return Arrays.stream(values()).map(Enum::name).toList();
	}

}
