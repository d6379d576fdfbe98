package dev.foyer.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.foyer.config.FoyerProperties;
import dev.foyer.config.InvalidConfigurationException;

class MasterKeyTest {

	@TempDir
	Path dataDir;

	private FoyerProperties properties(String masterKey) {
		return new FoyerProperties("http://localhost:8080", this.dataDir, masterKey,
				new FoyerProperties.Bootstrap(null, null, null, null));
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

}
