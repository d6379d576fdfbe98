package dev.foyer.directory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Foyer's Argon2 against RFC 9106's test vectors, and against Bouncy Castle and Spring Security's encoder; with both
 * computations of the compression, the scalar one and the vector one that the server uses.
 */
class Argon2Test {

	private static byte[] filled(int length, int value) {
		byte[] bytes = new byte[length];
		Arrays.fill(bytes, (byte) value);
		return bytes;
	}

	private static String rfcVector(int type, Argon2.Compression compression) {
		// RFC 9106 section 5: 32 KiB, 3 passes, 4 lanes, 32-byte tag; password 32 x 0x01, salt 16 x 0x02,
		// secret 8 x 0x03, associated data 12 x 0x04.
		return HexFormat.of().formatHex(Argon2.hash(type, Argon2.VERSION_13, 32, 3, 4, filled(32, 1), filled(16, 2),
				filled(8, 3), filled(12, 4), 32, compression));
	}

	@Test
	void hashesOnVectorsWhereTheJvmHasTheModule() {
		// The tests add jdk.incubator.vector (as ./foyer run does with FOYER_ARGON2_VECTORS=on), so every hash in
		// every test runs the vector code; without the module, only the tests here would.
		assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
		assumeTrue(Runtime.version().feature() >= 25 && VectorCompression.suitable(),
				"Argon2 uses vectors on JDK 25 and later, on CPUs with 256-bit vectors");
		assertThat(Argon2.Compression.AVAILABLE).isEqualTo(Argon2.Compression.VECTOR);
	}

	@ParameterizedTest
	@EnumSource(Argon2.Compression.class)
	void matchesTheTestVectorsOfRfc9106(Argon2.Compression compression) {
		assertThat(rfcVector(Argon2.TYPE_D, compression))
			.isEqualTo("512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb");
		assertThat(rfcVector(Argon2.TYPE_I, compression))
			.isEqualTo("c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8");
		assertThat(rfcVector(Argon2.TYPE_ID, compression))
			.isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
	}

	@ParameterizedTest
	@EnumSource(Argon2.Compression.class)
	void agreesWithBouncyCastleForEveryTypeAndVersion(Argon2.Compression compression) {
		Random random = new Random(42);
		int[][] shapes = { { 19 * 1024, 2, 1 }, { 64, 1, 1 }, { 200, 3, 2 }, { 1000, 2, 3 } };
		for (int type : new int[] { Argon2.TYPE_D, Argon2.TYPE_I, Argon2.TYPE_ID }) {
			for (int version : new int[] { Argon2.VERSION_10, Argon2.VERSION_13 }) {
				for (int[] shape : shapes) {
					byte[] password = new byte[random.nextInt(40)];
					byte[] salt = new byte[8 + random.nextInt(24)];
					random.nextBytes(password);
					random.nextBytes(salt);
					Argon2BytesGenerator generator = new Argon2BytesGenerator();
					generator.init(new Argon2Parameters.Builder(type).withVersion(version).withMemoryAsKB(shape[0])
						.withIterations(shape[1]).withParallelism(shape[2]).withSalt(salt).build());
					byte[] expected = new byte[32];
					generator.generateBytes(password, expected);
					assertThat(Argon2.hash(type, version, shape[0], shape[1], shape[2], password, salt, new byte[0],
							new byte[0], 32, compression))
						.as("type %d version %x shape %s", type, version, Arrays.toString(shape))
						.isEqualTo(expected);
				}
			}
		}
	}

	@Test
	void hashesVerifyBothWaysWithSpringSecuritysEncoder() {
		Argon2PasswordHashes foyer = new Argon2PasswordHashes(PasswordHashing.ARGON2_MEMORY_KIB,
				PasswordHashing.ARGON2_ITERATIONS, PasswordHashing.ARGON2_PARALLELISM);
		Argon2PasswordEncoder spring = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
		String password = "correct horse ☃ battery";
		String ours = foyer.encode(password);
		assertThat(ours).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
		assertThat(spring.matches(password, ours)).isTrue();
		assertThat(spring.matches(password + "x", ours)).isFalse();
		String theirs = spring.encode(password);
		assertThat(foyer.matches(password, theirs)).isTrue();
		assertThat(foyer.matches("Correct horse ☃ battery", theirs)).isFalse();
		assertThat(foyer.upgradeEncoding(theirs)).isFalse();
		assertThat(foyer.upgradeEncoding(new Argon2PasswordEncoder(16, 32, 1, 4096, 3).encode(password))).isTrue();
		// Another salt gives another hash of the same password.
		assertThat(foyer.encode(password)).isNotEqualTo(ours);
	}

	@Test
	void malformedStoredHashesDoNotMatch() {
		Argon2PasswordHashes foyer = new Argon2PasswordHashes(64, 1, 1);
		String good = foyer.encode("pw");
		assertThat(foyer.matches("pw", good)).isTrue();
		for (String bad : new String[] { null, "", "$argon2id$", "$argon2x$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
				good.replace("m=64", "m=abc"), good.replace("p=1", "p=0"), good + "$extra",
				good.replace("$v=19", "$v=7") }) {
			assertThat(foyer.matches("pw", bad)).as(String.valueOf(bad)).isFalse();
		}
		assertThat(new String(Base64Check.decodeSaltOf(good), StandardCharsets.ISO_8859_1)).hasSize(16);
	}

	/** The salt in the PHC string is 16 random bytes. */
	private static final class Base64Check {

		static byte[] decodeSaltOf(String phc) {
			return java.util.Base64.getDecoder().decode(phc.split("\\$")[4]);
		}

	}

}
