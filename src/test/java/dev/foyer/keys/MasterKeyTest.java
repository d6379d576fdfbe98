package dev.foyer.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.foyer.config.FoyerProperties;
import dev.foyer.config.InvalidConfigurationException;

class MasterKeyTest {

	@TempDir
	Path dataDir;

	private FoyerProperties properties(String masterKey, String... fallbacks) {
		return new FoyerProperties("http://localhost:8080", this.dataDir, masterKey, List.of(fallbacks),
				new FoyerProperties.Bootstrap(null, null, null, null));
	}

	private static String key(int first) {
		byte[] bytes = new byte[32];
		bytes[0] = (byte) first;
		return Base64.getEncoder().encodeToString(bytes);
	}

	@Test
	void sealsAndOpensBoundToItsContext() {
		MasterKey key = new MasterKey(properties(Base64.getEncoder().encodeToString(new byte[32])));
		String sealed = key.seal("private".getBytes(StandardCharsets.UTF_8), "tenant-a:kid-1");
		assertThat(sealed).startsWith("v1.").doesNotContain("private");
		assertThat(new String(key.open(sealed, "tenant-a:kid-1"), StandardCharsets.UTF_8)).isEqualTo("private");
		assertThat(key.seal("private".getBytes(StandardCharsets.UTF_8), "tenant-a:kid-1")).isNotEqualTo(sealed);
		assertThatThrownBy(() -> key.open(sealed, "tenant-b:kid-1")).isInstanceOf(IllegalStateException.class);
		byte[] different = new byte[32];
		different[0] = 1;
		MasterKey other = new MasterKey(properties(Base64.getEncoder().encodeToString(different)));
		assertThatThrownBy(() -> other.open(sealed, "tenant-a:kid-1")).isInstanceOf(IllegalStateException.class);
	}

	@Test
	void refusesMalformedKeysWithAClearMessage() {
		assertThatThrownBy(() -> new MasterKey(properties("not base64!")))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("FOYER_MASTER_KEY")
			.hasMessageContaining("base64");
		assertThatThrownBy(() -> new MasterKey(properties(Base64.getEncoder().encodeToString(new byte[16]))))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("32 bytes");
	}

	@Test
	void generatesAndKeepsAKeyInTheDataDirectoryWhenNoneIsConfigured() throws Exception {
		MasterKey first = new MasterKey(properties(null));
		Path file = this.dataDir.resolve("master.key");
		assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
		String sealed = first.seal(new byte[] { 1, 2, 3 }, "c");
		MasterKey again = new MasterKey(properties(null));
		assertThat(again.open(sealed, "c")).containsExactly(1, 2, 3);
	}

	@Test
	void aFallbackOpensWhatItSealedAndOnlyTheCurrentKeySeals() {
		MasterKey old = new MasterKey(properties(key(1)));
		String sealedByOld = old.seal("private".getBytes(StandardCharsets.UTF_8), "t:kid");
		String codeMac = old.mac("signup", "run:123456");

		MasterKey rotating = new MasterKey(properties(key(2), key(1)));
		assertThat(rotating.rotating()).isTrue();
		assertThat(rotating.open(sealedByOld, "t:kid")).asString(StandardCharsets.UTF_8).isEqualTo("private");
		assertThat(rotating.macMatches("signup", "run:123456", codeMac)).isTrue();
		assertThat(rotating.macMatches("signup", "run:654321", codeMac)).isFalse();
		assertThat(rotating.macMatches("reset", "run:123456", codeMac)).isFalse();
		// A fallback still binds the context.
		assertThatThrownBy(() -> rotating.open(sealedByOld, "t:other")).isInstanceOf(IllegalStateException.class);

		String again = rotating.resealed(sealedByOld, "t:kid").orElseThrow();
		MasterKey rotated = new MasterKey(properties(key(2)));
		assertThat(rotated.rotating()).isFalse();
		assertThat(rotated.open(again, "t:kid")).asString(StandardCharsets.UTF_8).isEqualTo("private");
		assertThatThrownBy(() -> old.open(again, "t:kid")).isInstanceOf(IllegalStateException.class);
		assertThat(rotating.resealed(again, "t:kid")).as("already under the current key").isEmpty();
		assertThatThrownBy(() -> rotated.open(sealedByOld, "t:kid")).isInstanceOf(IllegalStateException.class);
		assertThat(rotated.macMatches("signup", "run:123456", codeMac)).isFalse();
		assertThat(rotating.seal(new byte[] { 7 }, "c")).satisfies(sealed -> {
			assertThat(rotated.open(sealed, "c")).containsExactly(7);
			assertThatThrownBy(() -> old.open(sealed, "c")).isInstanceOf(IllegalStateException.class);
		});
	}

	@Test
	void aFallbackThatIsTheCurrentKeyIsNoRotationAndABadOneIsRefused() {
		assertThat(new MasterKey(properties(key(3), key(3), " ")).rotating()).isFalse();
		assertThatThrownBy(() -> new MasterKey(properties(key(3), "c2hvcnQ=")))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("FOYER_MASTER_KEY_FALLBACKS")
			.hasMessageContaining("32 bytes");
	}

}
