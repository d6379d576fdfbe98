package dev.foyer.flow;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.server.ResponseStatusException;

import dev.foyer.keys.Digests;
import dev.foyer.session.Cookies;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Persisted flow runs. A run is bound to its browser by a random cookie whose digest it stores, and every form post
 * carries the run's CSRF token: a run id alone, leaked or planted, lets nobody post into someone else's flow.
 */
@Service
public class FlowRuns {

	public static final Duration LIFETIME = Duration.ofMinutes(30);

	static final String BROWSER_COOKIE = "foyer_flow";

	/**
	 * The run started while serving this request. Its browser cookie is in the answer, not yet in the request, so a
	 * page served in the same answer (the sign-in page on the authorization request) finds the run here.
	 */
	private static final String STARTED = FlowRuns.class.getName() + ".started";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final Cookies cookies;

	private final TransactionTemplate transactions;

	public FlowRuns(JdbcClient jdbc, JsonMapper json, Cookies cookies, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.json = json;
		this.cookies = cookies;
		this.transactions = transactions;
	}

	public FlowRun start(String tenantId, String kind, String step, String returnTo, Map<String, String> data,
			HttpServletRequest request, HttpServletResponse response) {
		String browser = Cookies.read(request, BROWSER_COOKIE).orElse(null);
		if (browser == null || browser.length() != 43) {
			browser = Digests.randomToken();
			this.cookies.set(response, tenantId, BROWSER_COOKIE, browser, null);
		}
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		FlowRun run = new FlowRun(UUID.randomUUID().toString(), tenantId, kind, step, Digests.randomToken(), returnTo,
				Map.copyOf(data), now.plus(LIFETIME));
		this.jdbc.sql("""
				insert into flow_run (id, tenant_id, kind, step, csrf_token, browser_sha256, return_to, data, created_at,
				    updated_at, expires_at)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(run.id(), tenantId, kind, step, run.csrfToken(), Digests.sha256Hex(browser), returnTo,
					this.json.writeValueAsString(run.data()), Timestamp.from(now), Timestamp.from(now),
					Timestamp.from(run.expiresAt()))
			.update();
		request.setAttribute(STARTED, run);
		return run;
	}

	/**
	 * Refuses a page opened with a flow id by a browser that sends no flow cookie back: it did not keep the one Foyer
	 * set (cookies blocked), and starting yet another run for it would send it round the same redirect forever, a
	 * new run each time. The person is told to allow cookies instead.
	 */
	public void requireCookiesKept(String flowId, HttpServletRequest request) {
		if (flowId != null && Cookies.read(request, BROWSER_COOKIE).isEmpty()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "cookies");
		}
	}

	/** The run, if it exists in this tenant, has not expired, and belongs to this browser. */
	public Optional<FlowRun> find(String tenantId, String id, HttpServletRequest request) {
		if (id == null || id.length() > 36) {
			return Optional.empty();
		}
		if (request.getAttribute(STARTED) instanceof FlowRun started && started.id().equals(id)
				&& started.tenantId().equals(tenantId)) {
			return Optional.of(started);
		}
		String browser = Cookies.read(request, BROWSER_COOKIE).map(Digests::sha256Hex).orElse(null);
		return this.jdbc.sql("select * from flow_run where tenant_id = ? and id = ? and expires_at > ?")
			.params(tenantId, id, Timestamp.from(Instant.now()))
			.query((rs, n) -> Digests.same(browser, rs.getString("browser_sha256"))
					? new FlowRun(rs.getString("id"), rs.getString("tenant_id"), rs.getString("kind"), rs.getString("step"),
							rs.getString("csrf_token"), rs.getString("return_to"),
							this.json.readValue(rs.getString("data"), new TypeReference<Map<String, String>>() {
							}), rs.getTimestamp("expires_at").toInstant())
					: null)
			.optional();
	}

	/**
	 * The run a form was posted into: it must exist in this tenant, belong to this browser and carry its CSRF
	 * token. Otherwise the page answers 400 (expired or foreign run) or 403 (wrong token).
	 */
	public FlowRun posted(String tenantId, String id, String csrf, HttpServletRequest request) {
		FlowRun run = find(tenantId, id, request).orElseThrow(
				() -> new org.springframework.web.server.ResponseStatusException(org.springframework.http.HttpStatus.BAD_REQUEST,
						"flow.expired"));
		if (!csrfMatches(run, csrf)) {
			throw new org.springframework.web.server.ResponseStatusException(org.springframework.http.HttpStatus.FORBIDDEN,
					"flow.csrf");
		}
		return run;
	}

	/** True when the posted CSRF token is the run's. */
	public static boolean csrfMatches(FlowRun run, String posted) {
		return Digests.same(run.csrfToken(), posted);
	}

	/**
	 * Runs {@code work} on the run as stored now (empty once it expired or ended), with its row locked until
	 * {@code work} returns; what {@code work} saves is saved with it. Posts into one run that arrive together (a
	 * burst of guesses at a mailed code) are so handled one after the other, each seeing what the one before saved:
	 * read from the form's copy, they would all have counted from the same number of attempts.
	 */
	public <R> R locked(FlowRun run, Function<Optional<FlowRun>, R> work) {
		return this.transactions.execute(status -> work.apply(this.jdbc
			.sql("select kind, step, data from flow_run where tenant_id = ? and id = ? and expires_at > ? for update")
			.params(run.tenantId(), run.id(), Timestamp.from(Instant.now()))
			.query((rs, n) -> new FlowRun(run.id(), run.tenantId(), rs.getString("kind"), rs.getString("step"),
					run.csrfToken(), run.returnTo(), this.json.readValue(rs.getString("data"), new TypeReference<Map<String, String>>() {
					}), run.expiresAt()))
			.optional()));
	}

	public void save(FlowRun run) {
		this.jdbc.sql("update flow_run set kind = ?, step = ?, data = ?, updated_at = ? where tenant_id = ? and id = ?")
			.params(run.kind(), run.step(), this.json.writeValueAsString(run.data()), Timestamp.from(Instant.now()),
					run.tenantId(), run.id())
			.update();
	}

	public void finish(FlowRun run) {
		this.jdbc.sql("delete from flow_run where tenant_id = ? and id = ?").params(run.tenantId(), run.id()).update();
	}

}
