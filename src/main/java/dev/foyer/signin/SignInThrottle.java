package dev.foyer.signin;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

import dev.foyer.keys.Digests;
import dev.foyer.web.FieldChecks;

/**
 * Smart lockout and rate limits for sign-in and sign-up.
 * <ul>
 * <li>Lockout: after {@value #LOCKOUT_THRESHOLD} wrong passwords or mailed sign-in and reset codes for one email
 * address within {@link #WINDOW}, sign-in with them for it pauses, for longer with every further failure. Codes
 * count because each new flow run mails a new code with 5 attempts of its own: without the address's count, many
 * runs would give a guesser as many codes to try. It is keyed by the
 * address, not the account, so an address without an account behaves exactly like one with: the pause reveals
 * nothing. Failures are in the database, so every node sees them. An attempt counts from its start
 * ({@link #begin}). A browser that signed in with the address before ({@link KnownBrowsers}) has a count of its own,
 * so that a stranger's guesses pause the address for every other browser but not for its owner's; its owner's own
 * failures pause that browser the same way.</li>
 * <li>Rate limit: at most {@code foyer.rate-limit.per-ip-per-minute} sign-in and sign-up posts per client address
 * per minute, counted in memory on each node.</li>
 * </ul>
 */
@Component
public class SignInThrottle {

	static final int LOCKOUT_THRESHOLD = 10;

	static final Duration WINDOW = Duration.ofMinutes(10);

	static final Duration FIRST_PAUSE = Duration.ofMinutes(1);

	static final Duration LONGEST_PAUSE = Duration.ofMinutes(30);

	private final JdbcClient jdbc;

	private final int perIpPerMinute;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	private final KnownBrowsers knownBrowsers;

	private record Window(long minute, int count) {
	}

	SignInThrottle(JdbcClient jdbc, KnownBrowsers knownBrowsers,
			@Value("${foyer.rate-limit.per-ip-per-minute:60}") int perIpPerMinute) {
		this.jdbc = jdbc;
		this.knownBrowsers = knownBrowsers;
		this.perIpPerMinute = perIpPerMinute;
	}

	/** Counts a post from this address; false when it is over the limit this minute. */
	boolean allowPost(String ip) {
		long minute = Instant.now().getEpochSecond() / 60;
		if (this.windows.size() > 100_000) {
			this.windows.values().removeIf(w -> w.minute() < minute);
		}
		Window window = this.windows.merge(ip, new Window(minute, 1),
				(old, one) -> old.minute() == minute ? new Window(minute, old.count() + 1) : one);
		return window.count() <= this.perIpPerMinute;
	}

	/**
	 * The failures of an address within {@link #WINDOW}, and how long password sign-in for it is paused (zero when it
	 * is not).
	 */
	record Lockout(int recentFailures, Duration pause) {

		boolean paused() {
			return !this.pause.isZero();
		}

		/** What the page tells the person to wait: whole minutes, rounded up, at least one. */
		long minutesToWait() {
			return Math.max(1, (this.pause.toSeconds() + 59) / 60);
		}

	}

	/**
	 * Counts an attempt (a password, or a mailed sign-in or reset code) as a failure from the moment it starts, then
	 * decides whether it may go on: from the
	 * failures without it, which include the other attempts under way. A burst posted all at once so gets as many
	 * password checks as the lockout allows, not one per request that read the count before any had been recorded
	 * (the check takes tens of milliseconds, and waits its turn for a hashing thread). An attempt that may not go
	 * on (the address is paused) is withdrawn at once: attempts during a pause are not recorded. One that goes on
	 * stays a failure unless it {@link #clear succeeds} or is {@link #withdraw withdrawn}. So a sign-in costs three
	 * statements here: this insert and select, and the delete of {@link #clear} after a good password.
	 */
	Attempt begin(String tenantId, String email, Optional<String> knownBrowser) {
		String id = UUID.randomUUID().toString();
		String subject = key(tenantId, email);
		String browser = knownBrowser.map(known -> Digests.sha256Hex(known).substring(0, 32)).orElse(null);
		this.jdbc
			.sql("insert into sign_in_failure (tenant_id, subject_key, browser, failed_at, attempt_id) values (?, ?, ?, ?, ?)")
			.params(tenantId, subject, browser, Timestamp.from(Instant.now()), id)
			.update();
		Attempt attempt = new Attempt(tenantId, subject, id, lockout(tenantId, subject, browser, id), browser != null);
		if (attempt.lockout().paused()) {
			withdraw(attempt);
		}
		return attempt;
	}

	/** The page message of a paused address, with the minutes to wait as its argument. */
	static final String LOCKED_OUT = "error.lockedOut";

	/**
	 * {@link #begin} for a page's post: when the address is paused, the answer is {@code 429} with the minutes to
	 * wait in the model (for {@link #LOCKED_OUT}), and there is no attempt (null).
	 */
	Attempt beginOnPage(String tenantId, String email, HttpServletRequest request, Model model,
			HttpServletResponse response) {
		Attempt attempt = begin(tenantId, email, this.knownBrowsers.browserOf(request, tenantId, email));
		if (!attempt.lockout().paused()) {
			return attempt;
		}
		model.addAttribute("minutes", attempt.lockout().minutesToWait());
		response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
		return null;
	}

	/** An attempt under way, the address's key, the lockout it met, and whether it is in a known browser's count. */
	record Attempt(String tenantId, String subjectKey, String id, Lockout lockout, boolean knownBrowser) {

		/** Whether this attempt, if it fails, is the one that pauses the address for every browser not known for it. */
		boolean pausesTheAddress() {
			return !this.knownBrowser && this.lockout.recentFailures() == LOCKOUT_THRESHOLD - 1;
		}

	}

	/** Takes back an attempt that ended without its password being found wrong. */
	void withdraw(Attempt attempt) {
		this.jdbc.sql("delete from sign_in_failure where tenant_id = ? and subject_key = ? and attempt_id = ?")
			.params(attempt.tenantId(), attempt.subjectKey(), attempt.id())
			.update();
	}

	/** The lockout of the address's shared count (browser null), or of a known browser's own. */
	private Lockout lockout(String tenantId, String subjectKey, String browser, String leavingOut) {
		Instant now = Instant.now();
		List<Instant> failures = this.jdbc
			.sql("select failed_at from sign_in_failure where tenant_id = ? and subject_key = ? and failed_at > ?"
					+ " and (attempt_id is null or attempt_id <> ?)"
					+ (browser == null ? " and browser is null" : " and browser = ?") + " order by failed_at")
			.params(browser == null ? List.of(tenantId, subjectKey, Timestamp.from(now.minus(WINDOW)), leavingOut)
					: List.of(tenantId, subjectKey, Timestamp.from(now.minus(WINDOW)), leavingOut, browser))
			.query((rs, n) -> rs.getTimestamp(1).toInstant())
			.list();
		if (failures.size() < LOCKOUT_THRESHOLD) {
			return new Lockout(failures.size(), Duration.ZERO);
		}
		int beyond = failures.size() - LOCKOUT_THRESHOLD;
		Duration pause = FIRST_PAUSE.multipliedBy(1L << Math.min(beyond, 5));
		if (pause.compareTo(LONGEST_PAUSE) > 0) {
			pause = LONGEST_PAUSE;
		}
		Instant until = failures.get(failures.size() - 1).plus(pause);
		return new Lockout(failures.size(), until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO);
	}

	/** After a sign-in with the address: this browser is known for it from now on ({@link KnownBrowsers}). */
	void rememberBrowser(HttpServletRequest request, HttpServletResponse response, String tenantId, String email) {
		this.knownBrowsers.remember(request, response, tenantId, email);
	}

	/**
	 * Forgets the failures of an address, its known browsers' included: after a successful sign-in or reset, or when an
	 * admin unlocks it.
	 */
	public void clear(String tenantId, String email) {
		this.jdbc.sql("delete from sign_in_failure where tenant_id = ? and subject_key = ?")
			.params(tenantId, key(tenantId, email))
			.update();
	}

	private static String key(String tenantId, String email) {
		return Digests.sha256Hex(tenantId + "\n" + FieldChecks.normaliseEmail(email));
	}

}
