package dev.foyer.maintenance;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.foyer.cluster.CacheChanges;
import dev.foyer.cluster.JobLeases;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Deletes what has expired: flow runs, SSO sessions, sign-in failures outside the lockout window, authorizations
 * whose every token has expired, the memory of rotated refresh tokens once their family is gone, used client
 * assertions once they have expired, extension call
 * records and cache change rows. Every node keeps the schedule, but a {@link JobLeases lease} lets one node per
 * interval run it; its statements are idempotent anyway, so a run on two nodes at once would do no harm.
 */
@Component
class Housekeeping {

	private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

	static final String JOB = "housekeeping";

	/** Longer than any refresh token lives, so reuse of a rotated one is still recognised while it could matter. */
	static final Duration USED_REFRESH_MEMORY = Duration.ofDays(366);

	private final JdbcClient jdbc;

	private final JobLeases leases;

	private final Duration interval;

	private final Counter runs;

	Housekeeping(JdbcClient jdbc, JobLeases leases, MeterRegistry meters,
			@Value("${foyer.housekeeping.interval:PT10M}") Duration interval) {
		this.jdbc = jdbc;
		this.leases = leases;
		this.interval = interval;
		this.runs = Counter.builder("foyer.housekeeping.runs")
			.description("Housekeeping runs on this node (one node of a cluster runs it per interval)")
			.register(meters);
	}

	@Scheduled(initialDelayString = "${foyer.housekeeping.initial-delay:PT1M}",
			fixedDelayString = "${foyer.housekeeping.interval:PT10M}")
	void scheduled() {
		if (this.leases.tryClaim(JOB, this.interval)) {
			run();
		}
	}

	void run() {
		this.runs.increment();
		Timestamp now = Timestamp.from(Instant.now());
		int flows = this.jdbc.sql("delete from flow_run where expires_at < ?").param(now).update();
		int sessions = this.jdbc.sql("delete from sso_session where expires_at < ?").param(now).update();
		int failures = this.jdbc.sql("delete from sign_in_failure where failed_at < ?")
			.param(Timestamp.from(Instant.now().minus(Duration.ofMinutes(10))))
			.update();
		int authorizations = this.jdbc.sql("""
				delete from oauth2_authorization
				where (code_expires_at is null or code_expires_at < :now)
				  and (access_expires_at is null or access_expires_at < :now)
				  and (refresh_expires_at is null or refresh_expires_at < :now)
				  and (id_token_expires_at is null or id_token_expires_at < :now)""")
			.param("now", now)
			.update();
		int used = this.jdbc.sql("delete from refresh_token_used where used_at < ?")
			.param(Timestamp.from(Instant.now().minus(USED_REFRESH_MEMORY)))
			.update();
		int assertions = this.jdbc.sql("delete from client_assertion_used where expires_at < ?").param(now).update();
		int replaced = this.jdbc.sql("delete from access_token_replaced where expires_at < ?").param(now).update();
		int calls = this.jdbc.sql("delete from extension_call where started_at < ?")
			.param(Timestamp.from(Instant.now().minus(Duration.ofDays(30))))
			.update();
		// Rows every node has long read; a node that could not read them in time drops all its caches instead.
		int changes = this.jdbc.sql("delete from cache_change where changed_at < ?")
			.param(Timestamp.from(Instant.now().minus(CacheChanges.KEPT)))
			.update();
		if (flows + sessions + failures + authorizations + used + replaced + assertions + calls > 0) {
			log.info("Housekeeping removed {} flow runs, {} sessions, {} sign-in failures, {} authorizations, {} used refresh"
					+ " tokens, {} replaced access tokens, {} used client assertions, {} extension call records", flows,
					sessions, failures, authorizations, used, replaced, assertions, calls);
		}
		log.debug("Housekeeping removed {} cache change rows", changes);
	}

}
