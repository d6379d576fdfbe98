package dev.foyer.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ClientSecretsTest {

	@Test
	void generatesHighEntropySecrets() {
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			String secret = ClientSecrets.generate();
			assertThat(secret).hasSize(43).matches("[A-Za-z0-9_-]+");
			seen.add(secret);
		}
		assertThat(seen).hasSize(1000);
	}

	@Test
	void matchesOnlyUnexpiredDigests() {
		Instant now = Instant.parse("2026-06-01T00:00:00Z");
		String current = ClientSecrets.generate();
		String expired = ClientSecrets.generate();
		List<Client.SecretDigest> digests = List.of(new Client.SecretDigest(ClientSecrets.sha256Hex(current), now.plusSeconds(60)),
				new Client.SecretDigest(ClientSecrets.sha256Hex(expired), now.minusSeconds(1)));
		assertThat(ClientSecrets.matches(current, digests, now)).isTrue();
		assertThat(ClientSecrets.matches(expired, digests, now)).isFalse();
		assertThat(ClientSecrets.matches(current + "x", digests, now)).isFalse();
		assertThat(ClientSecrets.matches("", digests, now)).isFalse();
		assertThat(ClientSecrets.matches(null, digests, now)).isFalse();
		assertThat(ClientSecrets.matches(current, List.of(), now)).isFalse();
	}

}
