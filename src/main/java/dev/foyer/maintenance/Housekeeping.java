package dev.foyer.maintenance;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.foyer.cluster.CacheChanges;
import dev.foyer.cluster.JobLeases;
import dev.foyer.config.InvalidConfigurationException;
import dev.foyer.session.SsoSessions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Deletes what has expired: flow runs, SSO sessions (past their lifetime or idle timeout, announced to the apps by
 * back-channel logout as any session's end), sign-in failures outside the lockout window, authorizations
 * whose every token has expired, the memory of rotated refresh tokens once their family is gone, used client
 * assertions once they have expired, extension call records, cache change rows, audit events older than
 * {@code foyer.audit.retention} where it is set, and sign-in log entries older than {@code foyer.sign-in-log.retention}
 * (30 days unless set otherwise). Every node keeps the schedule, but a {@link JobLeases lease} lets one node per
 * interval run it; its statements are idempotent anyway, so a run on two nodes at once would do no harm.
 */
@Component
class Housekeeping {

	private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

	static final String JOB = "housekeeping";

	/** Longer than any refresh token lives, so reuse of a rotated one is still recognised while it could matter. */
	static final Duration USED_REFRESH_MEMORY = Duration.ofDays(366);

	/** Old log rows go in slices of this many, so that a first run on a long log holds no long lock. */
	static final int SLICE = 10_000;

	static final String AUDIT_RETENTION = "FOYER_AUDIT_RETENTION (foyer.audit.retention)";

	static final String SIGN_IN_LOG_RETENTION = "FOYER_SIGN_IN_LOG_RETENTION (foyer.sign-in-log.retention)";

	private final JdbcClient jdbc;

	private final JobLeases leases;

	private final SsoSessions sessions;

	private final Duration interval;

	/** How long audit events are kept, or null: until their tenant is deleted. */
	private final Duration auditRetention;

	/** How long the sign-in log keeps an attempt, or null: until its tenant or account is deleted. */
	private final Duration signInLogRetention;

	private final Counter runs;

	Housekeeping(JdbcClient jdbc, JobLeases leases, SsoSessions sessions, MeterRegistry meters,
			@Value("${foyer.housekeeping.interval:PT10M}") Duration interval,
			@Value("${foyer.audit.retention:}") String auditRetention,
			@Value("${foyer.sign-in-log.retention:P30D}") String signInLogRetention) {
		this.jdbc = jdbc;
		this.leases = leases;
		this.sessions = sessions;
		this.interval = interval;
		this.auditRetention = retention(AUDIT_RETENTION, auditRetention);
		this.signInLogRetention = retention(SIGN_IN_LOG_RETENTION, signInLogRetention);
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
		int sessions = this.sessions.endExpired(now.toInstant());
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
		int audit = deleteOlderThan("audit_event", this.auditRetention);
		int signIns = deleteOlderThan("sign_in_event", this.signInLogRetention);
		// Rows every node has long read; a node that could not read them in time drops all its caches instead.
		int changes = this.jdbc.sql("delete from cache_change where changed_at < ?")
			.param(Timestamp.from(Instant.now().minus(CacheChanges.KEPT)))
			.update();
		if (flows + sessions + failures + authorizations + used + replaced + assertions + calls + audit + signIns > 0) {
			log.info("Housekeeping removed {} flow runs, {} sessions, {} sign-in failures, {} authorizations, {} used refresh"
					+ " tokens, {} replaced access tokens, {} used client assertions, {} extension call records, {} audit"
					+ " events, {} sign-in log entries", flows, sessions, failures, authorizations, used, replaced, assertions,
					calls, audit, signIns);
		}
		log.debug("Housekeeping removed {} cache change rows", changes);
	}

	// In slices, oldest first: the first run after a retention is turned on may face years of events, and one
	// statement would hold its locks (and on PostgreSQL its WAL) for all of them at once.
	private int deleteOlderThan(String table, Duration retention) {
		if (retention == null) {
			return 0;
		}
		Timestamp cutoff = Timestamp.from(Instant.now().minus(retention));
		int total = 0;
		while (true) {
			// The slice's last id, then a range delete: H2 runs "id in (select … limit n)" row by row.
			Long upTo = this.jdbc.sql("select max(id) from (select id from " + table + " where occurred_at < ?"
					+ " order by occurred_at limit " + SLICE + ") slice")
				.param(cutoff)
				.query(Long.class)
				.optional()
				.orElse(null);
			if (upTo == null) {
				return total;
			}
			total += this.jdbc.sql("delete from " + table + " where occurred_at < ? and id <= ?")
				.params(cutoff, upTo)
				.update();
		}
	}

	/** A retention setting as a duration of at least a day, or null where it is unset. */
	static Duration retention(String name, String setting) {
		if (setting == null || setting.isBlank()) {
			return null;
		}
		Duration retention;
		try {
			retention = Duration.parse(setting.strip());
		}
		catch (DateTimeParseException ex) {
			throw new InvalidConfigurationException(name, "'" + setting + "' is not a duration",
					"Set an ISO-8601 duration such as P365D (a year), or set it empty to keep everything");
		}
		if (retention.compareTo(Duration.ofDays(1)) < 0) {
			throw new InvalidConfigurationException(name, setting + " is shorter than a day",
					"Set P1D or more: logs are evidence, and a slip of the keyboard should not delete them");
		}
		return retention;
	}

}
