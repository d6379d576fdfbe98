package dev.foyer.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import dev.foyer.web.FieldChecks;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hashes made the way other systems make them (Spring's bcrypt, javax.crypto's PBKDF2 as Keycloak calls it, Bouncy
 * Castle's Argon2) are taken at import, verify with {@link PasswordHashing}, and ask to be replaced.
 */
class ForeignPasswordHashesTest {

	static final String PASSWORD = "Pässword with ☃ and spaces";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final PasswordHashing HASHING = new PasswordHashing();

	@AfterAll
	static void stop() {
		HASHING.stop();
	}

	/** Keycloak's PBKDF2 credential: base64 salt of 16 bytes and base64 of the derived key of {@code keyBits}. */
	static Map<String, Object> keycloakPbkdf2(String algorithm, String jdkAlgorithm, int iterations, int keyBits,
			String password) throws Exception {
		byte[] salt = new byte[16];
		RANDOM.nextBytes(salt);
		byte[] key = SecretKeyFactory.getInstance(jdkAlgorithm)
			.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, keyBits))
			.getEncoded();
		Map<String, Object> credential = new LinkedHashMap<>();
		credential.put("algorithm", algorithm);
		credential.put("iterations", iterations);
		credential.put("salt", Base64.getEncoder().encodeToString(salt));
		credential.put("value", Base64.getEncoder().encodeToString(key));
		return credential;
	}

	/** Argon2 by Bouncy Castle with the given parameters, as raw salt and hash. */
	static byte[][] argon2(int type, int memoryKib, int iterations, int parallelism, int hashBytes, String password) {
		byte[] salt = new byte[16];
		RANDOM.nextBytes(salt);
		Argon2BytesGenerator generator = new Argon2BytesGenerator();
		generator.init(new Argon2Parameters.Builder(type).withVersion(Argon2Parameters.ARGON2_VERSION_13)
			.withMemoryAsKB(memoryKib)
			.withIterations(iterations)
			.withParallelism(parallelism)
			.withSalt(salt)
			.build());
		byte[] hash = new byte[hashBytes];
		generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), hash);
		return new byte[][] { salt, hash };
	}

	static String argon2Phc(int memoryKib, int iterations, int parallelism, String password) {
		byte[][] made = argon2(Argon2Parameters.ARGON2_id, memoryKib, iterations, parallelism, 32, password);
		Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
		return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$" + b64.encodeToString(made[0])
				+ "$" + b64.encodeToString(made[1]);
	}

	private static String stored(Object given) {
		FieldChecks checks = new FieldChecks();
		String stored = ForeignPasswordHashes.stored(checks, "passwordHash", JSON.valueToTree(given));
		assertThat(checks.problems()).as(String.valueOf(given)).isEmpty();
		return stored;
	}

	private static String refusal(Object given) {
		FieldChecks checks = new FieldChecks();
		JsonNode node = given instanceof String text && text.startsWith("{\"") ? JSON.readTree(text) : JSON.valueToTree(given);
		assertThat(ForeignPasswordHashes.stored(checks, "passwordHash", node)).as(String.valueOf(given)).isNull();
		assertThat(checks.problems()).as(String.valueOf(given)).isNotEmpty();
		return checks.problems().get(0).field() + ": " + checks.problems().get(0).message();
	}

	private static void verifiesAndAsksForRehash(String stored, String prefix) {
		assertThat(stored).startsWith(prefix);
		assertThat(HASHING.matches(PASSWORD, stored)).as(stored).isTrue();
		assertThat(HASHING.matches(PASSWORD + " ", stored)).as(stored).isFalse();
		assertThat(HASHING.matches("pässword with ☃ and spaces", stored)).as(stored).isFalse();
		assertThat(HASHING.needsRehash(stored)).as(stored).isTrue();
	}

	@Test
	void bcryptInEachVariant() {
		String made = new BCryptPasswordEncoder(5).encode(PASSWORD);
		for (String variant : new String[] { "$2a$", "$2b$", "$2y$" }) {
			String stored = stored(variant + made.substring(4));
			verifiesAndAsksForRehash(stored, "{bcrypt}" + variant + "05$");
		}
	}

	@Test
	void keycloakPbkdf2AtItsDefaultsOldAndNew() throws Exception {
		// Keycloak's pbkdf2-sha256 derives 256 bits (512 in releases before 24), pbkdf2-sha512 and pbkdf2 (SHA-1) 512;
		// it verifies with the length of the stored value, and so does Foyer.
		verifiesAndAsksForRehash(stored(keycloakPbkdf2("pbkdf2-sha256", "PBKDF2WithHmacSHA256", 27_500, 256, PASSWORD)),
				"{pbkdf2}$pbkdf2-sha256$i=27500$");
		verifiesAndAsksForRehash(stored(keycloakPbkdf2("pbkdf2-sha256", "PBKDF2WithHmacSHA256", 1_000, 512, PASSWORD)),
				"{pbkdf2}$pbkdf2-sha256$i=1000$");
		verifiesAndAsksForRehash(stored(keycloakPbkdf2("pbkdf2-sha512", "PBKDF2WithHmacSHA512", 210_000, 512, PASSWORD)),
				"{pbkdf2}$pbkdf2-sha512$i=210000$");
		verifiesAndAsksForRehash(stored(keycloakPbkdf2("pbkdf2", "PBKDF2WithHmacSHA1", 20_000, 512, PASSWORD)),
				"{pbkdf2}$pbkdf2$i=20000$");
	}

	@Test
	void pbkdf2StringsAsFoyerWritesThemImportAgainUnchanged() throws Exception {
		String stored = stored(keycloakPbkdf2("pbkdf2-sha512", "PBKDF2WithHmacSHA512", 1_000, 512, PASSWORD));
		assertThat(stored(stored)).isEqualTo(stored);
		assertThat(stored(stored.substring("{pbkdf2}".length()))).isEqualTo(stored);
	}

	@Test
	void argon2WithForeignParametersAsPhcStringOrKeycloakCredential() {
		String phc = argon2Phc(4096, 3, 2, PASSWORD);
		verifiesAndAsksForRehash(stored(phc), "{argon2}$argon2id$v=19$m=4096,t=3,p=2$");
		// Keycloak's default Argon2 (id, 1.3, 7 MiB, 5 iterations, 1 lane, 32 bytes), as fields of an object.
		byte[][] made = argon2(Argon2Parameters.ARGON2_id, 7168, 5, 1, 32, PASSWORD);
		Map<String, Object> keycloak = new LinkedHashMap<>();
		keycloak.put("algorithm", "argon2");
		keycloak.put("type", "id");
		keycloak.put("version", "1.3");
		keycloak.put("memory", 7168);
		keycloak.put("iterations", 5);
		keycloak.put("parallelism", 1);
		keycloak.put("salt", Base64.getEncoder().encodeToString(made[0]));
		keycloak.put("value", Base64.getEncoder().encodeToString(made[1]));
		verifiesAndAsksForRehash(stored(keycloak), "{argon2}$argon2id$v=19$m=7168,t=5,p=1$");
		// Argon2i, and a stronger Argon2id than Foyer's: both are replaced too.
		byte[][] argon2i = argon2(Argon2Parameters.ARGON2_i, 1024, 2, 1, 32, PASSWORD);
		keycloak.put("type", "i");
		keycloak.put("memory", 1024);
		keycloak.put("iterations", 2);
		keycloak.put("salt", Base64.getEncoder().encodeToString(argon2i[0]));
		keycloak.put("value", Base64.getEncoder().encodeToString(argon2i[1]));
		verifiesAndAsksForRehash(stored(keycloak), "{argon2}$argon2i$v=19$m=1024,t=2,p=1$");
		verifiesAndAsksForRehash(stored(argon2Phc(32 * 1024, 3, 1, PASSWORD)), "{argon2}$argon2id$v=19$m=32768,t=3,p=1$");
	}

	@Test
	void foyersOwnHashesImportUnchangedAndStay() {
		String own = HASHING.hash(PASSWORD);
		assertThat(stored(own)).isEqualTo(own);
		assertThat(HASHING.matches(PASSWORD, own)).isTrue();
		assertThat(HASHING.needsRehash(own)).isFalse();
	}

	@Test
	void refusesUnknownFormatsAndUnaffordableCosts() throws Exception {
		assertThat(refusal("5f4dcc3b5aa765d61d8327deb882cf99")).contains("not a hash format Foyer takes");
		assertThat(refusal("$1$saltsalt$qjXMvbEw8oaL.CzflDugX/")).contains("not a hash format");
		assertThat(refusal("$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA")).contains("not a hash format");
		assertThat(refusal("{sha256}abc")).contains("not a hash format");
		assertThat(refusal(42)).contains("must be a hash string or an object");
		String bcrypt = new BCryptPasswordEncoder(4).encode(PASSWORD);
		assertThat(refusal("$2a$15$" + bcrypt.substring(7))).contains("bcrypt cost 15");
		assertThat(refusal("$2x$" + bcrypt.substring(4))).contains("not a well-formed bcrypt hash");
		assertThat(refusal(bcrypt.substring(0, 40))).contains("not a well-formed bcrypt hash");
		assertThat(refusal(argon2Phc(64, 1, 1, PASSWORD).replace("m=64", "m=262144"))).contains("memory 262144 KiB");
		assertThat(refusal(argon2Phc(64, 1, 1, PASSWORD).replace("t=1", "t=40"))).contains("40 Argon2 iterations");
		assertThat(refusal("$argon2id$v=19$m=64,t=1,p=1$c2FsdA")).contains("not a well-formed Argon2");
		Map<String, Object> pbkdf2 = keycloakPbkdf2("pbkdf2-sha256", "PBKDF2WithHmacSHA256", 1000, 256, PASSWORD);
		pbkdf2.put("iterations", 3_000_000);
		assertThat(refusal(pbkdf2)).contains("3000000 iterations");
		pbkdf2.put("iterations", 1000);
		pbkdf2.put("algorithm", "md5");
		assertThat(refusal(pbkdf2)).startsWith("passwordHash.algorithm:").contains("'md5' is not");
		pbkdf2.put("algorithm", "pbkdf2-sha256");
		pbkdf2.put("salt", "not base64!");
		assertThat(refusal(pbkdf2)).startsWith("passwordHash.salt:");
		pbkdf2.put("salt", Base64.getEncoder().encodeToString(new byte[16]));
		pbkdf2.put("hashIterations", 1000);
		assertThat(refusal(pbkdf2)).startsWith("passwordHash.hashIterations: is not a known field");
		pbkdf2.remove("hashIterations");
		assertThat(refusal("{\"algorithm\": \"pbkdf2-sha256\", \"iterations\": \"1000\", \"salt\": \"c2FsdA==\", "
				+ "\"value\": \"" + Base64.getEncoder().encodeToString(new byte[32]) + "\"}"))
			.startsWith("passwordHash.iterations: is required: a whole number");
		assertThat(stored(pbkdf2)).startsWith("{pbkdf2}$pbkdf2-sha256$i=1000$");
	}

}
