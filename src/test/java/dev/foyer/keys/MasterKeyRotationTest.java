package dev.foyer.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import dev.foyer.FoyerApplication;
import dev.foyer.config.FoyerProperties;
import dev.foyer.config.InvalidConfigurationException;
import dev.foyer.support.Api;
import dev.foyer.support.TestFoyer;

/**
 * A master-key rotation as an operator does it, on one embedded database started four times: with the old key; with
 * the new key and the old one as a fallback, which seals every private key again under the new one; with the new key
 * alone; and with the old key alone, which no longer opens anything. The signing keys themselves do not change, so
 * a token signed before the rotation still validates against the published keys after it.
 */
class MasterKeyRotationTest {

	private final Path dataDir = TestFoyer.tempDir("foyer-rotation-");

	private final int port = TestFoyer.freePort();

	private final Api api = new Api(this.port);

	@Test
	void aNewMasterKeyWithTheOldOneAsFallbackSealsEveryKeyAgainAndTokensStayValid() throws Exception {
		String oldKey = randomKey();
		String newKey = randomKey();

		String tokenBefore;
		String jwksBefore;
		try (ConfigurableApplicationContext started = start(oldKey)) {
			tokenBefore = token();
			jwksBefore = jwks();
		}
		Map<String, String> sealedBefore = sealedKeys();
		assertThat(sealedBefore).isNotEmpty().allSatisfy((kid, sealed) -> assertThat(opens(oldKey, kid, sealed)).isTrue());

		try (ConfigurableApplicationContext started = start(newKey, oldKey)) {
			assertThat(jwks()).isEqualTo(jwksBefore);
			assertThat(verifies(tokenBefore, jwksBefore)).isTrue();
			assertThat(verifies(token(), jwksBefore)).as("the same signing keys, opened through the fallback").isTrue();
		}
		Map<String, String> sealedAfter = sealedKeys();
		assertThat(sealedAfter.keySet()).isEqualTo(sealedBefore.keySet());
		assertThat(sealedAfter).allSatisfy((kid, sealed) -> {
			assertThat(sealed).isNotEqualTo(sealedBefore.get(kid));
			assertThat(opens(newKey, kid, sealed)).isTrue();
			assertThat(opens(oldKey, kid, sealed)).isFalse();
		});

		try (ConfigurableApplicationContext started = start(newKey)) {
			assertThat(verifies(tokenBefore, jwks())).isTrue();
			assertThat(verifies(token(), jwksBefore)).isTrue();
		}
		assertThat(sealedKeys()).as("nothing left to seal again").isEqualTo(sealedAfter);

		assertThatThrownBy(() -> start(oldKey).close()).isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("FOYER_MASTER_KEY: does not open the signing keys stored in the database")
			.hasMessageContaining("FOYER_MASTER_KEY_FALLBACKS");
		assertThat(sealedKeys()).as("a refused start changes nothing").isEqualTo(sealedAfter);
	}

	private ConfigurableApplicationContext start(String masterKey, String... fallbacks) {
		List<String> args = new ArrayList<>(List.of("--server.port=" + this.port,
				"--foyer.base-url=http://localhost:" + this.port, "--foyer.data-dir=" + this.dataDir,
				"--foyer.master-key=" + masterKey, "--foyer.bootstrap.client-id=" + TestFoyer.CLIENT_ID,
				"--foyer.bootstrap.client-secret=" + TestFoyer.CLIENT_SECRET, "--logging.level.dev.foyer.request=WARN",
				"--spring.main.banner-mode=off"));
		if (fallbacks.length > 0) {
			args.add("--foyer.master-key-fallbacks=" + String.join(",", fallbacks));
		}
		return new SpringApplicationBuilder(FoyerApplication.class).run(args.toArray(String[]::new));
	}

	private String token() {
		Api.Response answer = this.api.clientCredentials("admin", TestFoyer.CLIENT_ID, TestFoyer.CLIENT_SECRET);
		assertThat(answer.status()).isEqualTo(200);
		return answer.json().get("access_token").asString();
	}

	private String jwks() {
		String uri = this.api.get("/t/admin/.well-known/openid-configuration").json().get("jwks_uri").asString();
		return this.api.get(uri.substring(this.api.base().length())).text();
	}

	private static boolean verifies(String token, String jwks) throws Exception {
		SignedJWT jwt = SignedJWT.parse(token);
		RSAKey key = (RSAKey) JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
		return key != null && jwt.verify(new RSASSAVerifier(key));
	}

	/**
	 * Each stored private key's sealed value, by the context it is sealed in ({@code signing_key:tenant:kid}), read from
	 * the database of the stopped server.
	 */
	private Map<String, String> sealedKeys() throws Exception {
		Map<String, String> sealed = new LinkedHashMap<>();
		try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + this.dataDir.resolve("foyer")
				+ ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "foyer", "");
				Statement sql = connection.createStatement();
				ResultSet rows = sql.executeQuery("select tenant_id, kid, private_sealed from signing_key order by kid")) {
			while (rows.next()) {
				sealed.put("signing_key:" + rows.getString("tenant_id") + ":" + rows.getString("kid"),
						rows.getString("private_sealed"));
			}
		}
		return sealed;
	}

	/** Whether {@code masterKey} alone opens a sealed private key. */
	private boolean opens(String masterKey, String context, String sealed) {
		MasterKey key = new MasterKey(new FoyerProperties("http://localhost", this.dataDir, masterKey, null,
				new FoyerProperties.Bootstrap(null, null, null, null)));
		try {
			key.open(sealed, context);
			return true;
		}
		catch (IllegalStateException ex) {
			return false;
		}
	}

	private static String randomKey() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return Base64.getEncoder().encodeToString(bytes);
	}

}
