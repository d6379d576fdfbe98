package dev.foyer.tenant;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.foyer.web.FieldChecks;

/**
 * How long a tenant's single sign-on sessions last: at most {@code maxSeconds} from sign-in, and, where
 * {@code idleSeconds} is not 0, no longer than that without being used (an authorization request or a hosted page).
 * With {@code persistent}, the session's cookie outlives the browser's own session (closing the browser), for as long
 * as the session can last; without, the browser forgets it when it closes. A tenant-wide setting: the session is
 * shared by all the tenant's apps. Null means "as before" (or Foyer's default).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionPolicy(Integer maxSeconds, Integer idleSeconds, Boolean persistent) {

	public static final SessionPolicy NONE = new SessionPolicy(null, null, null);

	/** Foyer's defaults: 24 hours from sign-in, not cut short by idleness, gone when the browser closes. */
	public static final SessionPolicy DEFAULTS = new SessionPolicy(86400, 0, false);

	static final int MIN_SECONDS = 300;

	static final int MAX_SECONDS = 90 * 86400;

	/** This policy with the given one's settings taking precedence where it has them. */
	public SessionPolicy overriddenBy(SessionPolicy more) {
		if (more == null) {
			return this;
		}
		return new SessionPolicy(more.maxSeconds != null ? more.maxSeconds : this.maxSeconds,
				more.idleSeconds != null ? more.idleSeconds : this.idleSeconds,
				more.persistent != null ? more.persistent : this.persistent);
	}

	public Duration maxLifetime() {
		return Duration.ofSeconds(this.maxSeconds);
	}

	/** The idle timeout, or null where sessions are not ended by idleness. */
	public Duration idleTimeout() {
		return this.idleSeconds == null || this.idleSeconds == 0 ? null : Duration.ofSeconds(this.idleSeconds);
	}

	/**
	 * Validates a policy given to the admin API against the one in force ({@code before}, defaults included);
	 * absent fields stay absent.
	 */
	static SessionPolicy check(FieldChecks checks, String field, SessionPolicy given, SessionPolicy before) {
		if (given == null) {
			return null;
		}
		Integer max = given.maxSeconds == null ? null
				: checks.range(field + ".maxSeconds", given.maxSeconds, MIN_SECONDS, MAX_SECONDS, given.maxSeconds);
		Integer idle = given.idleSeconds;
		if (idle != null && idle != 0 && (idle < MIN_SECONDS || idle > MAX_SECONDS)) {
			checks.problem(field + ".idleSeconds", "must be 0 (no idle timeout) or between " + MIN_SECONDS + " and "
					+ MAX_SECONDS);
		}
		else {
			SessionPolicy merged = before.overriddenBy(new SessionPolicy(max, idle, null));
			if (merged.idleSeconds != 0 && merged.idleSeconds >= merged.maxSeconds) {
				checks.problem(field + ".idleSeconds", "must be shorter than maxSeconds (" + merged.maxSeconds
						+ "), or 0 for no idle timeout");
			}
		}
		return new SessionPolicy(max, idle, given.persistent);
	}

	/** The cookie's Max-Age for a session that lasts {@code lifetime}: none (the browser's session) unless persistent. */
	public Duration cookieMaxAge(Duration lifetime) {
		return Boolean.TRUE.equals(this.persistent) ? lifetime : null;
	}

}
