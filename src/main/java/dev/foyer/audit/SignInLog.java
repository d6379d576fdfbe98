package dev.foyer.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The sign-in log: every attempt to sign in on the hosted pages, with its outcome, for administrators (Entra's
 * sign-in logs, Auth0's logs, Keycloak's login events).
 * <p>
 * {@link #record} only queues the event: a writer thread inserts the queue in batches, half a second later at
 * most, so that a sign-in waits for no log write. The account an attempt names is resolved in the insert, from
 * the address, so that a failed attempt costs the request no look-up either. {@link #list} first writes what this
 * node still holds, so a node reads its own attempts at once. A full queue (10,000 attempts) drops what does not fit,
 * counted in {@code foyer.signin.log.dropped}; a node that dies loses at most its last second.
 */
@Service
public class SignInLog implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SignInLog.class);

	static final int CAPACITY = 10_000;

	static final int BATCH = 500;

	static final long WRITE_INTERVAL_MS = 500;

	/** Every outcome an attempt may have ({@link SignInEvent#outcome()}). */
	public static final List<String> OUTCOMES = List.of("success", "invalidCredentials", "codeExpired", "lockedOut",
			"rateLimited", "blocked", "extensionRefused", "extensionFailed");

	/**
	 * An attempt as recorded, before it is written. {@code interactive}: on a page, rather than an authorization
	 * answered from the person's single sign-on session.
	 */
	public record Attempt(String tenantId, String outcome, List<String> methods, String accountId, String email,
			String clientId, String ipAddress, String userAgent, boolean interactive) {
	}

	private record Queued(Attempt attempt, Instant at, String requestId) {
	}

	private final BlockingQueue<Queued> pending = new LinkedBlockingQueue<>(CAPACITY);

	// Held while a batch is taken from the queue and written, so that a flush sees every batch taken before it.
	private final ReentrantLock writing = new ReentrantLock();

	private final JdbcClient jdbc;

	private final JdbcTemplate batches;

	private final Counter dropped;

	private volatile Thread writer;

	private volatile CountDownLatch stopping;

	public SignInLog(JdbcClient jdbc, JdbcTemplate batches, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.batches = batches;
		this.dropped = Counter.builder("foyer.signin.log.dropped")
			.description("Sign-in attempts left out of the sign-in log because its queue was full")
			.register(meters);
	}

	/** Queues the attempt, with the time and the request id of now. Never blocks. */
	public void record(Attempt attempt) {
		if (!this.pending.offer(new Queued(attempt, Instant.now(), MDC.get("requestId")))) {
			this.dropped.increment();
		}
	}

	/** Filters of a listing; null means any. Newest first, keyset-paged by id; one row more than the limit is read. */
	public record Query(String userId, String outcome, Boolean interactive, Instant since, Instant until, Long beforeId,
			int limit) {
	}

	public List<SignInEvent> list(String tenantId, Query query) {
		flush();
		return new TenantLogQuery("sign_in_event", tenantId).equal("account_id", query.userId())
			.equal("outcome", query.outcome())
			.equal("interactive", query.interactive())
			.window(query.since(), query.until())
			.page(this.jdbc, query.beforeId(), query.limit(), SignInLog::map);
	}

	/** Forgets a deleted account's attempts: those the log tied to it. */
	public void forgetAccount(String tenantId, String accountId) {
		flush();
		this.jdbc.sql("delete from sign_in_event where tenant_id = ? and account_id = ?").params(tenantId, accountId).update();
	}

	/** Writes every attempt this node still holds. */
	public void flush() {
		this.writing.lock();
		try {
			List<Queued> batch = new ArrayList<>();
			while (this.pending.drainTo(batch, BATCH) > 0) {
				write(batch);
				batch.clear();
			}
		}
		finally {
			this.writing.unlock();
		}
	}

	private void write(List<Queued> batch) {
		this.batches.batchUpdate("""
				insert into sign_in_event (tenant_id, occurred_at, outcome, methods, account_id, email, client_id,
				    ip_address, user_agent, request_id, interactive)
				values (?, ?, ?, ?, coalesce(?, (select id from account where tenant_id = ? and email_normalized = ?)),
				    ?, ?, ?, ?, ?, ?)""", batch, batch.size(), (ps, queued) -> {
			Attempt a = queued.attempt();
			ps.setString(1, a.tenantId());
			ps.setTimestamp(2, Timestamp.from(queued.at()));
			ps.setString(3, a.outcome());
			ps.setString(4, a.methods() == null ? null : String.join(" ", a.methods()));
			ps.setString(5, a.accountId());
			ps.setString(6, a.tenantId());
			// Clipped to the columns: one row too long would fail its whole batch, and the address is whatever was typed.
			ps.setString(7, clip(a.email(), 320));
			ps.setString(8, clip(a.email(), 320));
			ps.setString(9, clip(a.clientId(), 100));
			ps.setString(10, clip(a.ipAddress(), 64));
			ps.setString(11, clip(a.userAgent(), 512));
			ps.setString(12, clip(queued.requestId(), 64));
			ps.setBoolean(13, a.interactive());
		});
	}

	// Wakes twice a second and writes what came meanwhile, as one batch: the queue is only ever taken under the
	// lock (flush), so a listing that flushes first never misses a batch in flight. Stopped by its latch, never by an
	// interrupt: an interrupt during H2's file I/O closes the database's file channel.
	private void writeLoop(CountDownLatch stopping) {
		while (true) {
			try {
				if (stopping.await(WRITE_INTERVAL_MS, TimeUnit.MILLISECONDS)) {
					return;
				}
				flush();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				// The database is away (a restart, a failover): the batch taken is lost, the next ones are tried.
				log.warn("Could not write sign-in log entries: {}", ex.toString());
			}
		}
	}

	@Override
	public void start() {
		CountDownLatch stopping = new CountDownLatch(1);
		this.stopping = stopping;
		this.writer = Thread.ofPlatform().daemon().name("sign-in-log").start(() -> writeLoop(stopping));
	}

	@Override
	public void stop() {
		Thread thread = this.writer;
		this.writer = null;
		if (thread != null) {
			this.stopping.countDown();
			try {
				thread.join(5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		try {
			flush();
		}
		catch (RuntimeException ex) {
			log.warn("Could not write the last {} sign-in log entries at shutdown: {}", this.pending.size(), ex.toString());
		}
	}

	/** Started before the web server and stopped after it, so that the last requests' attempts are written too. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	@Override
	public boolean isRunning() {
		return this.writer != null;
	}

	private static String clip(String value, int max) {
		return value == null || value.length() <= max ? value : value.substring(0, max);
	}

	private static SignInEvent map(ResultSet rs, int row) throws SQLException {
		String methods = rs.getString("methods");
		return new SignInEvent(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(), rs.getString("outcome"),
				rs.getBoolean("interactive"), methods == null ? List.of() : Arrays.asList(methods.split(" ")),
				rs.getString("account_id"),
				rs.getString("email"), rs.getString("client_id"), rs.getString("ip_address"), rs.getString("user_agent"),
				rs.getString("request_id"));
	}

}
