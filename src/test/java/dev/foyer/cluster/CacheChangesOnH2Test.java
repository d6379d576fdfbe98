package dev.foyer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.support.TransactionTemplate;

import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;

/** The embedded database has one node: changes drop this node's entries and cost nothing else. */
@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class CacheChangesOnH2Test extends FoyerIntegrationTest {

	@Autowired
	private CacheChanges changes;

	@Autowired
	private TransactionTemplate transactions;

	@Test
	void oneNodeNeitherWritesNorPollsChanges() {
		String tenant = this.api.newTenant("h2");
		assertThat(this.api.patch("/api/v1/tenants/" + tenant, Map.of("displayName", "Renamed")).status()).isEqualTo(200);
		assertThat(this.api.post("/api/v1/tenants/" + tenant + "/keys/rotate", Map.of()).status()).isEqualTo(200);

		assertThat(this.changes.shared()).isFalse();
		assertThat(this.changes.isRunning()).isFalse();
		assertThat(this.jdbc.sql("select count(*) from cache_change").query(Integer.class).single()).isZero();
		assertThat(this.api.get("/api/v1/tenants/" + tenant).json().get("displayName").asString()).isEqualTo("Renamed");
	}

	@Test
	void aLoadThatOverlapsAChangeKeepsNothing() {
		NodeCache<String> cache = this.changes.cache("test-" + UUID.randomUUID().toString().substring(0, 8));
		AtomicInteger loads = new AtomicInteger();
		// The load read the old state; the change commits and is dropped before the load puts what it read.
		assertThat(cache.get("k", key -> {
			loads.incrementAndGet();
			cache.changed(key);
			return Optional.of("old");
		})).contains("old");
		assertThat(cache.get("k", key -> Optional.of("new " + loads.incrementAndGet()))).contains("new 2");
		assertThat(cache.get("k", key -> Optional.of("never"))).contains("new 2");
	}

	@Test
	void aChangeDropsTheEntryAtOnceAndAgainWhenItsTransactionEndsEvenInARollback() {
		NodeCache<String> cache = this.changes.cache("test-" + UUID.randomUUID().toString().substring(0, 8));
		cache.get("k", key -> Optional.of("committed"));
		this.transactions.executeWithoutResult(status -> {
			cache.changed("k");
			// Read inside the transaction: its own, uncommitted state.
			assertThat(cache.get("k", key -> Optional.of("uncommitted"))).contains("uncommitted");
			status.setRollbackOnly();
		});
		assertThat(cache.get("k", key -> Optional.of("reloaded"))).contains("reloaded");
	}

	@Test
	void absenceIsNotCached() {
		NodeCache<String> cache = this.changes.cache("test-" + UUID.randomUUID().toString().substring(0, 8));
		assertThat(cache.get("k", key -> Optional.empty())).isEmpty();
		assertThat(cache.get("k", key -> Optional.of("there"))).contains("there");
	}

}
