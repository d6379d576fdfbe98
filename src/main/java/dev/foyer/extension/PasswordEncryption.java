package dev.foyer.extension;

import java.time.Instant;
import java.util.Date;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;

import dev.foyer.web.FieldChecks;

/**
 * The password of a password submit call, as Entra sends it: a JWE (RSA-OAEP-256, A256GCM) encrypted to the
 * extension's public key, whose content is an unsigned JWT with {@code user-password} and {@code nonce}. Only the
 * holder of the private key reads the password; the nonce must come back in the answer.
 */
final class PasswordEncryption {

	static final int MIN_KEY_BITS = 2048;

	private PasswordEncryption() {
	}

	/**
	 * The PEM as given, when it is an RSA public key or certificate of at least {@value #MIN_KEY_BITS} bits. A private
	 * key is refused: it must never leave the extension.
	 */
	static String checkedKey(FieldChecks checks, String field, String pem) {
		if (pem == null || pem.isBlank()) {
			checks.problem(field, "is required: the PEM public key (or certificate) the password is encrypted to");
			return null;
		}
		if (pem.contains("PRIVATE KEY")) {
			checks.problem(field, "must be the public key only; keep the private key with the extension");
			return null;
		}
		try {
			RSAKey key = rsaKey(pem);
			if (key.size() < MIN_KEY_BITS) {
				checks.problem(field, "must be an RSA key of at least " + MIN_KEY_BITS + " bits");
				return null;
			}
			return pem.strip();
		}
		catch (IllegalArgumentException ex) {
			checks.problem(field, ex.getMessage());
			return null;
		}
	}

	/** The password and nonce, encrypted to the extension's key. */
	static String encrypt(CustomExtension extension, String password, String nonce) {
		Instant now = Instant.now();
		String inner = new PlainJWT(new JWTClaimsSet.Builder().claim("user-password", password)
			.claim("nonce", nonce)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.build()).serialize();
		RSAKey key = rsaKey(extension.encryptionKey());
		JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
			.contentType("JWT")
			.keyID(key.getKeyID())
			.build(), new Payload(inner));
		try {
			jwe.encrypt(new RSAEncrypter(key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not encrypt the password for extension " + extension.id(), ex);
		}
		return jwe.serialize();
	}

	private static RSAKey rsaKey(String pem) {
		java.security.PublicKey key = publicKey(pem);
		if (!(key instanceof java.security.interfaces.RSAPublicKey rsaPublic)) {
			throw new IllegalArgumentException("must be an RSA public key or certificate in PEM");
		}
		RSAKey rsa = new RSAKey.Builder(rsaPublic).build();
		try {
			// The key's thumbprint names it in the JWE header, so the extension can tell which key to decrypt with.
			return new RSAKey.Builder(rsa).keyIDFromThumbprint().build();
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("is not a usable RSA key");
		}
	}

	/** The public key of a PEM "PUBLIC KEY" or "CERTIFICATE", read with the JDK alone. */
	private static java.security.PublicKey publicKey(String pem) {
		java.util.regex.Matcher block = PEM.matcher(pem == null ? "" : pem);
		if (!block.find()) {
			throw new IllegalArgumentException("is not a PEM public key or certificate");
		}
		try {
			byte[] der = java.util.Base64.getMimeDecoder().decode(block.group(2));
			if (block.group(1).equals("CERTIFICATE")) {
				return java.security.cert.CertificateFactory.getInstance("X.509")
					.generateCertificate(new java.io.ByteArrayInputStream(der))
					.getPublicKey();
			}
			return java.security.KeyFactory.getInstance("RSA").generatePublic(new java.security.spec.X509EncodedKeySpec(der));
		}
		catch (java.security.GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalArgumentException("is not a readable RSA public key or certificate in PEM");
		}
	}

	private static final java.util.regex.Pattern PEM = java.util.regex.Pattern
		.compile("-----BEGIN (PUBLIC KEY|CERTIFICATE)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

}
