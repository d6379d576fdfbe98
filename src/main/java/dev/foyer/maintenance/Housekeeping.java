package dev.foyer.maintenance;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes what has expired: flow runs, SSO sessions, sign-in failures outside the lockout window, authorizations
 * whose every token has expired, and the memory of rotated refresh tokens once their family is gone. Every
 * statement is idempotent, so several nodes running it at once do no harm.
 */
@Component
class Housekeeping {

	private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

	/** Longer than any refresh token lives, so reuse of a rotated one is still recognised while it could matter. */
	static final Duration USED_REFRESH_MEMORY = Duration.ofDays(366);

	private final JdbcClient jdbc;

	Housekeeping(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Scheduled(initialDelayString = "PT1M", fixedDelayString = "${foyer.housekeeping.interval:PT10M}")
	void run() {
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
		int calls = this.jdbc.sql("delete from extension_call where started_at < ?")
			.param(Timestamp.from(Instant.now().minus(Duration.ofDays(30))))
			.update();
		if (flows + sessions + failures + authorizations + used + calls > 0) {
			log.info("Housekeeping removed {} flow runs, {} sessions, {} sign-in failures, {} authorizations, {} used refresh"
					+ " tokens, {} extension call records", flows, sessions, failures, authorizations, used, calls);
		}
	}

}
