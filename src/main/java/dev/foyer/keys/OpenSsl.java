package dev.foyer.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import dev.foyer.config.InvalidConfigurationException;

/**
 * Who makes a key's signatures. RSA signatures (RS256, the default for tokens) come from the system's OpenSSL 3 where
 * this JVM can call it (JDK 22 or newer, libcrypto.so.3 installed): 0.22 ms each here against the JDK's 0.70 ms, so
 * a refresh, which signs an access and an ID token, costs half the CPU (docs/benchmarks.md). Everything else, and RSA
 * where OpenSSL is missing or {@code foyer.crypto.openssl=off}, is signed by the JDK through Nimbus JOSE. Every key
 * OpenSSL is given must first make a signature that the JDK verifies. New RSA keys come from the same library as
 * their signatures.
 */
public final class OpenSsl {

	private static final Logger log = LoggerFactory.getLogger(OpenSsl.class);

	static final Set<JWSAlgorithm> RSA_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);

	private static final byte[] SELF_TEST = "Foyer signs with OpenSSL".getBytes(StandardCharsets.US_ASCII);

	/** What the release-22 code ({@code src/main/java22}) gives this class. */
	interface Library {

		String version();

		JWSSigner rsaSigner(RSAPrivateCrtKey key) throws JOSEException;

		RSAPrivateCrtKey generateRsa(int bits) throws GeneralSecurityException;

	}

	/** Loaded once per JVM, at the first use: null when this JVM cannot call OpenSSL, with the reason in {@link #WHY}. */
	private static final class Loaded {

		static final Library LIBRARY;

		static final String WHY;

		static {
			Library library = null;
			String why;
			if (Runtime.version().feature() < 22) {
				why = "the JDK's foreign function API needs JDK 22 or newer";
			}
			else {
				try {
					library = (Library) Class.forName("dev.foyer.keys.Libcrypto").getDeclaredConstructor().newInstance();
					why = library.version();
				}
				catch (Throwable ex) {
					Throwable cause = ex instanceof java.lang.reflect.InvocationTargetException target ? target.getCause() : ex;
					why = "libcrypto.so.3 not usable: " + cause;
				}
			}
			LIBRARY = library;
			WHY = why;
		}

	}

	private final Library library;

	/** Who signs RSA keys, in words. */
	private final String rsaSignatures;

	private OpenSsl(Library library, String rsaSignatures) {
		this.library = library;
		this.rsaSignatures = rsaSignatures;
	}

	/**
	 * The signers for {@code foyer.crypto.openssl}: {@code auto} (OpenSSL for RSA where available) or {@code off}.
	 */
	public static OpenSsl forSetting(String setting) {
		String value = setting == null ? "auto" : setting.trim().toLowerCase(java.util.Locale.ROOT);
		return switch (value) {
			case "auto" -> new OpenSsl(Loaded.LIBRARY, Loaded.LIBRARY != null ? Loaded.WHY : "the JDK (" + Loaded.WHY + ")");
			case "off" -> new OpenSsl(null, "the JDK (foyer.crypto.openssl=off)");
			default -> throw new InvalidConfigurationException("FOYER_CRYPTO_OPENSSL (foyer.crypto.openssl)",
					"is \"" + setting + "\", which is neither auto nor off", "Set it to auto (the default) or off.");
		};
	}

	/** For the start-up log and the benchmarks: who signs RSA, e.g. "OpenSSL 3.0.19 27 Jan 2026" or "the JDK (...)". */
	public String rsaSignatures() {
		return this.rsaSignatures;
	}

	/** Whether RSA keys are signed by OpenSSL. */
	public boolean signsRsa() {
		return this.library != null;
	}

	/**
	 * A new RSA signing key of {@code bits} bits (public exponent 65537) with its id and algorithm, from OpenSSL where
	 * it signs, else from the JDK. The JDK, still interpreting its big-number code early in a JVM's life, took about
	 * 0.9 s for the two RSA keys of Foyer's first start; OpenSSL takes 0.1-0.3 s per key at any time.
	 */
	public RSAKey generateRsa(int bits, String keyId, JWSAlgorithm algorithm) throws JOSEException {
		if (this.library == null) {
			return new RSAKeyGenerator(bits).keyID(keyId).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).generate();
		}
		RSAPrivateCrtKey key;
		RSAPublicKey publicKey;
		try {
			key = this.library.generateRsa(bits);
			publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
				.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
		}
		catch (GeneralSecurityException ex) {
			throw new JOSEException("OpenSSL could not generate an RSA key: " + ex.getMessage(), ex);
		}
		// What came back through the native boundary must be the key asked for before anything is signed with it.
		if (key.getModulus().bitLength() != bits || !RSAKeyGenParameterSpec.F4.equals(key.getPublicExponent())
				|| !key.getPrimeP().multiply(key.getPrimeQ()).equals(key.getModulus())) {
			throw new JOSEException("OpenSSL generated an RSA key that is not the one asked for");
		}
		return new RSAKey.Builder(publicKey).privateKey(key).keyID(keyId).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).build();
	}

	/** The signer of a private JWK: OpenSSL's for an RSA key with its CRT parts when available, else the JDK's. */
	public JWSSigner signer(JWK jwk) throws JOSEException {
		if (jwk instanceof ECKey ec) {
			return new ECDSASigner(ec);
		}
		RSAKey rsa = (RSAKey) jwk;
		RSAPrivateKey privateKey = rsa.toRSAPrivateKey();
		if (this.library != null && privateKey instanceof RSAPrivateCrtKey crt) {
			try {
				JWSSigner signer = this.library.rsaSigner(crt);
				JWSHeader header = new JWSHeader(JWSAlgorithm.RS256);
				if (new RSASSAVerifier(rsa.toRSAPublicKey()).verify(header, SELF_TEST, signer.sign(header, SELF_TEST))) {
					return signer;
				}
				log.warn("OpenSSL's signature with key {} did not verify; the JDK signs with it", rsa.getKeyID());
			}
			catch (JOSEException ex) {
				log.warn("OpenSSL could not take key {} ({}); the JDK signs with it", rsa.getKeyID(), ex.getMessage());
			}
		}
		return new RSASSASigner(privateKey);
	}

}
