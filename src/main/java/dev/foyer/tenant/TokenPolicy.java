package dev.foyer.tenant;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.foyer.keys.SigningAlgorithm;
import dev.foyer.web.FieldChecks;

/**
 * Token lifetimes and the access-token signing algorithm. A tenant sets them for all its apps; an app may override
 * any of them. Null means "inherit" (from the tenant, or from Foyer's defaults).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenPolicy(Integer accessTokenSeconds, Integer idTokenSeconds, Integer refreshSlidingSeconds,
		Integer refreshAbsoluteSeconds, String accessTokenAlgorithm) {

	public static final TokenPolicy NONE = new TokenPolicy(null, null, null, null, null);

	/** Foyer's defaults: access and ID tokens 1 hour; refresh tokens 14 days sliding, 90 days absolute. */
	public static final TokenPolicy DEFAULTS = new TokenPolicy(3600, 3600, 14 * 86400, 90 * 86400, null);

	/** This policy with the given one's settings taking precedence where it has them. */
	public TokenPolicy overriddenBy(TokenPolicy more) {
		if (more == null) {
			return this;
		}
		return new TokenPolicy(pick(more.accessTokenSeconds, this.accessTokenSeconds),
				pick(more.idTokenSeconds, this.idTokenSeconds), pick(more.refreshSlidingSeconds, this.refreshSlidingSeconds),
				pick(more.refreshAbsoluteSeconds, this.refreshAbsoluteSeconds),
				pick(more.accessTokenAlgorithm, this.accessTokenAlgorithm));
	}

	public Duration accessTokenLifetime() {
		return Duration.ofSeconds(this.accessTokenSeconds);
	}

	public Duration idTokenLifetime() {
		return Duration.ofSeconds(this.idTokenSeconds);
	}

	public Duration refreshSlidingLifetime() {
		return Duration.ofSeconds(this.refreshSlidingSeconds);
	}

	public Duration refreshAbsoluteLifetime() {
		return Duration.ofSeconds(this.refreshAbsoluteSeconds);
	}

	/** Validates a policy given to the admin API; absent fields stay absent. */
	public static TokenPolicy check(FieldChecks checks, String field, TokenPolicy given) {
		if (given == null) {
			return null;
		}
		Integer access = seconds(checks, field + ".accessTokenSeconds", given.accessTokenSeconds, 60, 86400);
		Integer id = seconds(checks, field + ".idTokenSeconds", given.idTokenSeconds, 60, 86400);
		Integer sliding = seconds(checks, field + ".refreshSlidingSeconds", given.refreshSlidingSeconds, 300, 365 * 86400);
		Integer absolute = seconds(checks, field + ".refreshAbsoluteSeconds", given.refreshAbsoluteSeconds, 300, 365 * 86400);
		String algorithm = checks.oneOf(field + ".accessTokenAlgorithm", given.accessTokenAlgorithm, SigningAlgorithm.names(),
				false);
		if (sliding != null && absolute != null && absolute < sliding) {
			checks.problem(field + ".refreshAbsoluteSeconds", "must not be shorter than refreshSlidingSeconds");
		}
		return new TokenPolicy(access, id, sliding, absolute, algorithm);
	}

	private static Integer seconds(FieldChecks checks, String field, Integer value, int min, int max) {
		return value == null ? null : checks.range(field, value, min, max, value);
	}

	private static <T> T pick(T preferred, T fallback) {
		return preferred != null ? preferred : fallback;
	}

}
