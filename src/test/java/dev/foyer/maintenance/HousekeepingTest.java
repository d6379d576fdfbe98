package dev.foyer.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.cluster.JobLeases;
import dev.foyer.config.InvalidConfigurationException;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;

@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class HousekeepingTest extends FoyerIntegrationTest {

	@Autowired
	private Housekeeping housekeeping;

	@Autowired
	private io.micrometer.core.instrument.MeterRegistry meters;

	@Autowired
	private JobLeases leases;

	@Autowired
	private dev.foyer.session.SsoSessions sessions;

	@Test
	void removesWhatExpiredAndKeepsWhatLives() {
		String tenant = this.api.newTenant("house");
		Timestamp past = Timestamp.from(Instant.now().minusSeconds(60));
		Timestamp future = Timestamp.from(Instant.now().plusSeconds(600));
		for (String[] run : new String[][] { { "expired-run", "p" }, { "live-run", "f" } }) {
			this.jdbc.sql("""
					insert into flow_run (id, tenant_id, kind, step, csrf_token, browser_sha256, data, created_at, updated_at, expires_at)
					values (?, ?, 'signin', 'credentials', 'c', 'b', '{}', ?, ?, ?)""")
				.params(run[0], tenant, past, past, run[1].equals("p") ? past : future)
				.update();
		}
		this.jdbc.sql("insert into sign_in_failure (tenant_id, subject_key, failed_at) values (?, 'k', ?)")
			.params(tenant, Timestamp.from(Instant.now().minusSeconds(3600)))
			.update();
		for (String[] used : new String[][] { { "expired-jti", "p" }, { "live-jti", "f" } }) {
			this.jdbc.sql("insert into client_assertion_used (tenant_id, application_id, jti_sha256, expires_at) values (?, 'app', ?, ?)")
				.params(tenant, used[0], used[1].equals("p") ? past : future)
				.update();
		}
		String account = this.api.post("/api/v1/tenants/" + tenant + "/users",
				java.util.Map.of("email", "house@example.com", "password", "a long enough password")).json().get("id").asString();
		for (String[] session : new String[][] { { "expired-session", "p" }, { "live-session", "f" } }) {
			this.jdbc.sql("""
					insert into sso_session (id, tenant_id, account_id, token_sha256, amr, auth_time, created_at, last_seen_at, expires_at)
					values (?, ?, ?, ?, 'pwd', ?, ?, ?, ?)""")
				.params(session[0], tenant, account, session[0], past, past, past, session[1].equals("p") ? past : future)
				.update();
		}
		this.housekeeping.run();
		assertThat(this.jdbc.sql("select id from sso_session where tenant_id = ?").param(tenant).query(String.class).list())
			.containsExactly("live-session");
		assertThat(this.jdbc.sql("select jti_sha256 from client_assertion_used where tenant_id = ?").param(tenant)
			.query(String.class).list()).containsExactly("live-jti");
		assertThat(this.jdbc.sql("select id from flow_run where tenant_id = ?").param(tenant).query(String.class).list())
			.containsExactly("live-run");
		assertThat(this.jdbc.sql("select count(*) from sign_in_failure where tenant_id = ?").param(tenant).query(Integer.class)
			.single()).isZero();
	}

	@Test
	void auditEventsAreKeptUnlessARetentionIsSetAndThenOnlyForIt() {
		String tenant = this.api.newTenant("auditkept");
		Instant now = Instant.now();
		// Older than the retention, in more than one slice; and one just inside it.
		int old = Housekeeping.SLICE + 5;
		this.jdbc.sql("""
				insert into audit_event (tenant_id, occurred_at, actor_type, actor_id, action, target_type, target_id)
				select ?, ?, 'user', 'a', 'user.update', 'user', 'x' from system_range(1, ?)""")
			.params(tenant, Timestamp.from(now.minus(Duration.ofDays(31))), old)
			.update();
		this.jdbc.sql("""
				insert into audit_event (tenant_id, occurred_at, actor_type, actor_id, action, target_type, target_id)
				values (?, ?, 'user', 'a', 'user.block', 'user', 'kept')""")
			.params(tenant, Timestamp.from(now.minus(Duration.ofDays(29))))
			.update();
		long before = events(tenant);

		// Unset (the default, as this context runs): nothing goes.
		this.housekeeping.run();
		assertThat(events(tenant)).isEqualTo(before);

		Housekeeping thirtyDays = new Housekeeping(this.jdbc, this.leases, this.sessions, this.meters, Duration.ofMinutes(10), "P30D", "");
		thirtyDays.run();
		assertThat(events(tenant)).isEqualTo(before - old);
		assertThat(this.jdbc.sql("select target_id from audit_event where tenant_id = ?").param(tenant).query(String.class)
			.list()).contains("kept").doesNotContain("x");
	}

	@Test
	void theSignInLogKeepsThirtyDaysUnlessToldOtherwise() {
		String tenant = this.api.newTenant("signinkept");
		Instant now = Instant.now();
		for (Object[] row : new Object[][] { { "old", now.minus(Duration.ofDays(31)) }, { "recent", now.minus(Duration.ofDays(29)) } }) {
			this.jdbc.sql("insert into sign_in_event (tenant_id, occurred_at, outcome, email) values (?, ?, 'success', ?)")
				.params(tenant, Timestamp.from((Instant) row[1]), row[0])
				.update();
		}
		new Housekeeping(this.jdbc, this.leases, this.sessions, this.meters, Duration.ofMinutes(10), "", "").run();
		assertThat(this.jdbc.sql("select count(*) from sign_in_event where tenant_id = ?").param(tenant).query(Long.class)
			.single()).as("kept while the retention is off").isEqualTo(2);
		// This context runs with the default: 30 days.
		this.housekeeping.run();
		assertThat(this.jdbc.sql("select email from sign_in_event where tenant_id = ?").param(tenant).query(String.class)
			.list()).containsExactly("recent");
	}

	@Test
	void aRetentionThatIsNotADurationOrUnderADayStopsTheStart() {
		String name = Housekeeping.AUDIT_RETENTION;
		assertThat(Housekeeping.retention(name, "")).isNull();
		assertThat(Housekeeping.retention(name, " P365D ")).isEqualTo(Duration.ofDays(365));
		for (String wrong : new String[] { "365", "a year", "PT1H", "-P30D" }) {
			assertThatThrownBy(() -> Housekeeping.retention(name, wrong)).as(wrong)
				.isInstanceOf(InvalidConfigurationException.class)
				.hasMessageContaining("FOYER_AUDIT_RETENTION");
		}
	}

	private long events(String tenant) {
		return this.jdbc.sql("select count(*) from audit_event where tenant_id = ?").param(tenant).query(Long.class).single();
	}

	@Test
	void theScheduleRunsOnlyWhileThisNodeHoldsTheLease() {
		this.jdbc.sql("delete from job_lease where job = ?").param(Housekeeping.JOB).update();
		this.jdbc.sql("insert into job_lease (job, holder, claimed_at, lease_until) values (?, 'another node', ?, ?)")
			.params(Housekeeping.JOB, Timestamp.from(Instant.now()), Timestamp.from(Instant.now().plusSeconds(600)))
			.update();
		// Counted from here: with the lease held elsewhere, this context's own schedule cannot run meanwhile either.
		double before = runs();
		this.housekeeping.scheduled();
		assertThat(runs()).as("runs while another node holds the lease").isEqualTo(before);

		this.jdbc.sql("update job_lease set lease_until = ? where job = ?")
			.params(Timestamp.from(Instant.now().minusSeconds(1)), Housekeeping.JOB)
			.update();
		this.housekeeping.scheduled();
		assertThat(runs()).as("runs once the lease ran out").isEqualTo(before + 1);
		this.housekeeping.scheduled();
		assertThat(runs()).as("runs while this node holds the lease").isEqualTo(before + 1);
	}

	private double runs() {
		return this.meters.get("foyer.housekeeping.runs").counter().count();
	}

}
