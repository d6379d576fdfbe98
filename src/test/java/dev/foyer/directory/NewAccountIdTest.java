package dev.foyer.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Account ids are UUIDs of version 7: the time first, so that ids made later sort later. */
class NewAccountIdTest {

	@Test
	void isAVersion7UuidThatSortsByTheTimeItWasMade() throws Exception {
		long before = System.currentTimeMillis();
		String first = Accounts.newId();
		Thread.sleep(2);
		String second = Accounts.newId();
		UUID id = UUID.fromString(first);
		assertThat(id.version()).isEqualTo(7);
		assertThat(id.variant()).isEqualTo(2);
		assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, System.currentTimeMillis());
		// As text too, which is how the database compares them.
		assertThat(first).isLessThan(second);
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 100_000; i++) {
			ids.add(Accounts.newId());
		}
		assertThat(ids).hasSize(100_000);
	}

}
