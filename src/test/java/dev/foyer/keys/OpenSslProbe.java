package dev.foyer.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/**
 * Run in a JVM of its own by {@link OpenSslTest}: prints who signs RSA with the default setting, and whether a
 * signature made that way verifies.
 */
public final class OpenSslProbe {

	private OpenSslProbe() {
	}

	public static void main(String[] args) throws Exception {
		OpenSsl openSsl = OpenSsl.forSetting("auto");
		RSAKey key = new RSAKeyGenerator(2048).generate();
		JWSHeader header = new JWSHeader(JWSAlgorithm.RS256);
		byte[] input = { 1, 2, 3 };
		boolean verifies = new RSASSAVerifier(key.toRSAPublicKey()).verify(header, input,
				openSsl.signer(key).sign(header, input));
		System.out.println("signsRsa=" + openSsl.signsRsa() + " verifies=" + verifies + " by=" + openSsl.rsaSignatures());
	}

}
