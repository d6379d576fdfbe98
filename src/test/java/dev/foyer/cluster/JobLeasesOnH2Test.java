package dev.foyer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;

/** Leases on the embedded database; ManyNodesTest races three nodes for them on PostgreSQL. */
@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class JobLeasesOnH2Test extends FoyerIntegrationTest {

	@Autowired
	private JobLeases leases;

	@Test
	void aJobIsClaimedOncePerLease() throws InterruptedException {
		String job = "test-" + UUID.randomUUID();
		assertThat(this.leases.tryClaim(job, Duration.ofMillis(300))).as("first claim").isTrue();
		assertThat(this.leases.tryClaim(job, Duration.ofMillis(300))).as("claim while the lease runs").isFalse();
		Thread.sleep(400);
		assertThat(this.leases.tryClaim(job, Duration.ofMillis(300))).as("claim after the lease ran out").isTrue();
	}

	@Test
	void aLeaseHeldByAnotherNodeIsRespected() {
		String job = "test-" + UUID.randomUUID();
		this.jdbc.sql("insert into job_lease (job, holder, claimed_at, lease_until) values (?, 'elsewhere', current_timestamp, ?)")
			.params(job, java.sql.Timestamp.from(java.time.Instant.now().plusSeconds(60)))
			.update();
		assertThat(this.leases.tryClaim(job, Duration.ofMinutes(1))).isFalse();
		assertThat(this.jdbc.sql("select holder from job_lease where job = ?").param(job).query(String.class).single())
			.isEqualTo("elsewhere");
	}

}
