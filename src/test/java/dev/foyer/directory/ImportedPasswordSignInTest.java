package dev.foyer.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.Api;
import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;

/**
 * People whose password hashes were imported from another system sign in on the hosted page with their old
 * password, and that first sign-in replaces each foreign hash with Foyer's Argon2id.
 */
@ContextConfiguration(initializers = TestFoyer.OnH2WithMail.class)
class ImportedPasswordSignInTest extends FoyerIntegrationTest {

	private static final String PASSWORD = ForeignPasswordHashesTest.PASSWORD;

	private static final String FOYERS_ARGON2 = "{argon2}$argon2id$v=19$m=19456,t=2,p=1$";

	@Autowired
	private PasswordHashing hashing;

	@Test
	void everyForeignFormatSignsInOnceAndIsThenFoyersArgon2id() throws Exception {
		String tenant = this.api.newTenant("hashes");
		String bcrypt = new BCryptPasswordEncoder(6).encode(PASSWORD);
		Map<String, Object> hashes = new LinkedHashMap<>();
		hashes.put("bcrypt-2a", bcrypt);
		hashes.put("bcrypt-2b", "$2b$" + bcrypt.substring(4));
		hashes.put("bcrypt-2y", "$2y$" + bcrypt.substring(4));
		hashes.put("kc-sha256", ForeignPasswordHashesTest.keycloakPbkdf2("pbkdf2-sha256", "PBKDF2WithHmacSHA256", 27_500,
				256, PASSWORD));
		hashes.put("kc-sha512", ForeignPasswordHashesTest.keycloakPbkdf2("pbkdf2-sha512", "PBKDF2WithHmacSHA512", 210_000,
				512, PASSWORD));
		hashes.put("kc-sha1", ForeignPasswordHashesTest.keycloakPbkdf2("pbkdf2", "PBKDF2WithHmacSHA1", 20_000, 512, PASSWORD));
		hashes.put("argon2id-weaker", ForeignPasswordHashesTest.argon2Phc(4096, 3, 2, PASSWORD));
		hashes.put("argon2id-stronger", ForeignPasswordHashesTest.argon2Phc(32 * 1024, 3, 1, PASSWORD));
		byte[][] keycloakArgon2 = ForeignPasswordHashesTest.argon2(Argon2Parameters.ARGON2_id, 7168, 5, 1, 32, PASSWORD);
		hashes.put("kc-argon2", Map.of("algorithm", "argon2", "type", "id", "version", "1.3", "memory", 7168,
				"iterations", 5, "parallelism", 1, "salt", Base64.getEncoder().encodeToString(keycloakArgon2[0]), "value",
				Base64.getEncoder().encodeToString(keycloakArgon2[1])));
		StringBuilder lines = new StringBuilder();
		hashes.forEach((name, hash) -> lines.append(Api.JSON.writeValueAsString(
				Map.of("email", name + "@example.com", "emailVerified", true, "passwordHash", hash))).append('\n'));
		Api.Response imported = this.api.postLines("/api/v1/tenants/" + tenant + "/users/import", lines.toString());
		assertThat(imported.json().get("imported").asLong()).as(imported.text()).isEqualTo(hashes.size());

		for (String name : hashes.keySet()) {
			String email = name + "@example.com";
			String foreign = storedHash(tenant, email);
			assertThat(foreign).as(name).doesNotStartWith(FOYERS_ARGON2);
			try (Browser browser = new Browser()) {
				signIn(browser, tenant, email, PASSWORD + "!");
				assertThat(browser.url().getPath()).as(name).isEqualTo("/t/" + tenant + "/login");
				assertThat(storedHash(tenant, email)).as("a wrong password changes nothing").isEqualTo(foreign);
				signIn(browser, tenant, email, PASSWORD);
				assertThat(browser.url().getPath()).as(name).isEqualTo("/t/" + tenant + "/account");
			}
			String upgraded = storedHash(tenant, email);
			assertThat(upgraded).as(name).startsWith(FOYERS_ARGON2);
			try (Browser browser = new Browser()) {
				signIn(browser, tenant, email, PASSWORD);
				assertThat(browser.url().getPath()).as(name + ", signing in again").isEqualTo("/t/" + tenant + "/account");
			}
			assertThat(storedHash(tenant, email)).as("Foyer's own hash stays").isEqualTo(upgraded);
		}
	}

	@Test
	void aFailedSignInForAnUnknownAddressTakesAsLongAsOneForAnImportedHash() throws Exception {
		String tenant = this.api.newTenant("hash-timing");
		String line = Api.JSON.writeValueAsString(Map.of("email", "imported@example.com", "emailVerified", true,
				"passwordHash", new BCryptPasswordEncoder(11).encode(PASSWORD)));
		Api.Response imported = this.api.postLines("/api/v1/tenants/" + tenant + "/users/import", line + "\n");
		assertThat(imported.json().get("imported").asLong()).as(imported.text()).isEqualTo(1);
		try (Browser browser = new Browser()) {
			signIn(browser, tenant, "imported@example.com", PASSWORD + "!");
			assertThat(browser.url().getPath()).isEqualTo("/t/" + tenant + "/login");
		}
		Duration slowest = this.hashing.failedCheckTime(tenant);
		assertThat(slowest).as("the imported bcrypt's check was timed").isGreaterThan(Duration.ofMillis(20));
		try (Browser browser = new Browser()) {
			browser.open(this.api.base() + "/t/" + tenant + "/account");
			browser.fill("Email address", "nobody@example.com").fill("Password", PASSWORD);
			long start = System.nanoTime();
			browser.click("Sign in");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the unknown address's answer")
				.isGreaterThanOrEqualTo(slowest);
			assertThat(browser.url().getPath()).isEqualTo("/t/" + tenant + "/login");
		}
	}

	private void signIn(Browser browser, String tenant, String email, String password) {
		browser.open(this.api.base() + "/t/" + tenant + "/account");
		browser.fill("Email address", email).fill("Password", password).click("Sign in");
	}

	private String storedHash(String tenant, String email) {
		return this.jdbc.sql("select password_hash from account where tenant_id = ? and email_normalized = ?")
			.params(tenant, email)
			.query(String.class)
			.single();
	}

}
