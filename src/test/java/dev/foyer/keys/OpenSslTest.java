package dev.foyer.keys;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateCrtKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;

import dev.foyer.config.InvalidConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenSslTest {

	private static RSAKey key;

	private static OpenSsl openSsl;

	@BeforeAll
	static void keyAndLibrary() throws Exception {
		key = new RSAKeyGenerator(2048).keyID("test").generate();
		openSsl = OpenSsl.forSetting("auto");
	}

	@Test
	void signsRsaWithTheSystemsOpenSslWhereItIsInstalled() {
		// This machine (Debian, JDK 25) has OpenSSL 3; elsewhere the JDK signs, which the other tests cover too.
		boolean installed = Runtime.version().feature() >= 22
				&& (Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))
						|| Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/libcrypto.so.3")));
		assertThat(openSsl.signsRsa()).as(openSsl.rsaSignatures()).isEqualTo(installed);
		if (installed) {
			assertThat(openSsl.rsaSignatures()).startsWith("OpenSSL 3.");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "RS256", "RS384", "RS512" })
	void makesTheJdksSignaturesBitForBit(String name) throws Exception {
		// PKCS #1 v1.5 signatures are deterministic: the same key and input give the same bytes whoever signs.
		JWSHeader header = new JWSHeader(JWSAlgorithm.parse(name));
		byte[] input = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9".getBytes(StandardCharsets.US_ASCII);
		Base64URL signature = openSsl.signer(key).sign(header, input);
		assertThat(signature).isEqualTo(new RSASSASigner(key).sign(header, input));
		assertThat(new RSASSAVerifier(key.toRSAPublicKey()).verify(header, input, signature)).isTrue();
		assertThat(new RSASSAVerifier(key.toRSAPublicKey()).verify(header, "tampered".getBytes(StandardCharsets.US_ASCII),
				signature)).isFalse();
	}

	@Test
	void signsAnEmptyInputAndALongOne() throws Exception {
		JWSHeader header = new JWSHeader(JWSAlgorithm.RS256);
		for (byte[] input : List.of(new byte[0], new byte[100_000])) {
			assertThat(openSsl.signer(key).sign(header, input)).isEqualTo(new RSASSASigner(key).sign(header, input));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "auto", "off" })
	void generatesDistinctWorkingRsaKeys(String setting) throws Exception {
		// With OpenSSL (auto, here) the key crosses the native boundary as PKCS #8; the JDK must read the same key
		// OpenSSL signs with, and each key must be new.
		OpenSsl signers = OpenSsl.forSetting(setting);
		RSAKey first = signers.generateRsa(2048, "first", JWSAlgorithm.RS256);
		RSAKey second = signers.generateRsa(2048, "second", JWSAlgorithm.RS256);
		for (RSAKey generated : List.of(first, second)) {
			RSAPrivateCrtKey crt = (RSAPrivateCrtKey) generated.toRSAPrivateKey();
			assertThat(generated.getModulus().decodeToBigInteger().bitLength()).isEqualTo(2048);
			assertThat(generated.getPublicExponent().decodeToBigInteger()).isEqualTo(BigInteger.valueOf(65537));
			assertThat(crt.getPrimeP().multiply(crt.getPrimeQ())).isEqualTo(crt.getModulus());
			assertThat(generated.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
			assertThat(generated.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
			JWSHeader header = new JWSHeader(JWSAlgorithm.RS256);
			byte[] input = "a token".getBytes(StandardCharsets.US_ASCII);
			Base64URL signature = signers.signer(generated).sign(header, input);
			assertThat(signature).isEqualTo(new RSASSASigner(generated).sign(header, input));
			assertThat(new RSASSAVerifier(generated.toRSAPublicKey()).verify(header, input, signature)).isTrue();
		}
		assertThat(first.getKeyID()).isEqualTo("first");
		assertThat(first.getModulus()).isNotEqualTo(second.getModulus());
		assertThat(first.toPublicJWK().toJSONObject()).doesNotContainKeys("d", "p", "q", "dp", "dq", "qi");
	}

	@Test
	void threadsShareOneSigner() throws Exception {
		JWSSigner signer = openSsl.signer(key);
		RSASSAVerifier verifier = new RSASSAVerifier(key.toRSAPublicKey());
		JWSHeader header = new JWSHeader(JWSAlgorithm.RS256);
		try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<Integer>> results = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				int thread = t;
				results.add(threads.submit((Callable<Integer>) () -> {
					int verified = 0;
					for (int i = 0; i < 50; i++) {
						byte[] input = ("token " + thread + "." + i).getBytes(StandardCharsets.US_ASCII);
						if (verifier.verify(header, input, signer.sign(header, input))) {
							verified++;
						}
					}
					return verified;
				}));
			}
			for (Future<Integer> result : results) {
				assertThat(result.get()).isEqualTo(50);
			}
		}
	}

	@Test
	void refusesAlgorithmsItDoesNotSign() throws Exception {
		JWSSigner signer = openSsl.signer(key);
		// Only OpenSSL's signer: where the JDK signs, Nimbus's signer also offers the PS algorithms.
		if (openSsl.signsRsa()) {
			assertThat(signer.supportedJWSAlgorithms()).containsExactlyInAnyOrder(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
					JWSAlgorithm.RS512);
			assertThatThrownBy(() -> signer.sign(new JWSHeader(JWSAlgorithm.PS256), new byte[] { 1 }))
				.isInstanceOf(JOSEException.class)
				.hasMessageContaining("PS256");
		}
	}

	@Test
	void offLeavesRsaToTheJdk() throws Exception {
		OpenSsl off = OpenSsl.forSetting("off");
		assertThat(off.signsRsa()).isFalse();
		assertThat(off.rsaSignatures()).isEqualTo("the JDK (foyer.crypto.openssl=off)");
		assertThat(off.signer(key)).isInstanceOf(RSASSASigner.class);
	}

	@Test
	void ellipticCurveKeysAndKeysWithoutTheirCrtPartsAreSignedByTheJdk() throws Exception {
		assertThat(openSsl.signer(new ECKeyGenerator(Curve.P_256).generate())).isInstanceOf(ECDSASigner.class);
		RSAKey bare = new RSAKey.Builder(key.getModulus(), key.getPublicExponent()).privateExponent(key.getPrivateExponent())
			.build();
		JWSSigner signer = openSsl.signer(bare);
		assertThat(signer).isInstanceOf(RSASSASigner.class);
		JWSHeader header = new JWSHeader(JWSAlgorithm.RS256);
		assertThat(signer.sign(header, new byte[] { 7 })).isEqualTo(new RSASSASigner(key).sign(header, new byte[] { 7 }));
	}

	@Test
	void aKeyWhoseSignatureDoesNotVerifyIsLeftToTheJdk() throws Exception {
		// Private parts of another key under this modulus: OpenSSL signs, its signature fails the check against the
		// public key, and the key goes to the JDK. (With only the CRT parts foreign, OpenSSL notices and still signs
		// correctly with the private exponent.)
		RSAKey other = new RSAKeyGenerator(2048).generate();
		RSAKey broken = new RSAKey.Builder(key.getModulus(), key.getPublicExponent())
			.privateExponent(other.getPrivateExponent())
			.firstPrimeFactor(other.getFirstPrimeFactor())
			.secondPrimeFactor(other.getSecondPrimeFactor())
			.firstFactorCRTExponent(other.getFirstFactorCRTExponent())
			.secondFactorCRTExponent(other.getSecondFactorCRTExponent())
			.firstCRTCoefficient(other.getFirstCRTCoefficient())
			.build();
		assertThat(openSsl.signer(broken)).isInstanceOf(RSASSASigner.class);
	}

	@Test
	void aJvmThatDeniesNativeAccessSignsWithTheJdk() throws Exception {
		// The JDK's own switch: --illegal-native-access=deny makes the library's loading throw, and the JDK signs.
		Assumptions.assumeTrue(Runtime.version().feature() >= 24, "--illegal-native-access arrived in JDK 24");
		assertThat(probe("--illegal-native-access=deny")).startsWith("signsRsa=false verifies=true by=the JDK (")
			.contains("IllegalCallerException");
		if (openSsl.signsRsa()) {
			assertThat(probe("--enable-native-access=ALL-UNNAMED")).startsWith("signsRsa=true verifies=true by=OpenSSL 3.");
		}
	}

	private static String probe(String option) throws Exception {
		Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), option, "-cp",
				System.getProperty("java.class.path"), OpenSslProbe.class.getName())
			.redirectErrorStream(true)
			.start();
		String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(java.waitFor()).as(out).isZero();
		return out.lines().filter(line -> line.startsWith("signsRsa=")).findFirst().orElse(out);
	}

	@Test
	void anUnknownSettingStopsTheStartWithItsName() {
		assertThatThrownBy(() -> OpenSsl.forSetting("yes")).isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("foyer.crypto.openssl")
			.hasMessageContaining("auto");
		assertThat(OpenSsl.forSetting(" AUTO ").signsRsa()).isEqualTo(openSsl.signsRsa());
	}

}
