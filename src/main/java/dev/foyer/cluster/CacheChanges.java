package dev.foyer.cluster;

import java.sql.DatabaseMetaData;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps every node's in-memory caches of database state in step: a change made on one node is dropped from the
 * caches of the others within about a second. Owners make a {@link NodeCache} here and call its
 * {@link NodeCache#changed} in the changing transaction.
 * <p>
 * How the word gets around: the changing transaction writes one {@code cache_change} row per changed key just
 * before it commits, and every node reads the rows of the others every {@code foyer.cluster.poll-interval}
 * (200 ms). A poll of a change-log table was chosen over PostgreSQL's LISTEN/NOTIFY because it works on every
 * engine that speaks PostgreSQL's SQL, including distributed ones (CockroachDB, YugabyteDB) that have no
 * LISTEN/NOTIFY, and through connection poolers in transaction mode; it needs no dedicated connection, and a node
 * that lost its connection for a while catches up from the table instead of missing notifications. It costs one
 * indexed range scan per node per poll, usually returning nothing.
 * <p>
 * Rows become visible in commit order, not in the order of their timestamps, so each poll re-reads the last
 * {@link #REREAD} before the newest change it has seen and skips the rows it already handled. The timestamp is
 * the database's clock at the end of the transaction ({@code clock_timestamp()} in the {@code beforeCommit}
 * step), so a row is late by no more than its commit takes.
 * <p>
 * On the embedded H2 database there is only ever one node: nothing is written and nothing polls, and a change only
 * drops this node's entry after the transaction.
 */
@Service
public class CacheChanges implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(CacheChanges.class);

	/** How far each poll looks back behind the newest change it saw: far more than a commit or clock skew takes. */
	static final Duration REREAD = Duration.ofSeconds(10);

	/** How long rows are kept (housekeeping deletes older ones). A node that could not poll for half of it forgets all. */
	public static final Duration KEPT = Duration.ofHours(1);

	/** The poll: one range scan of {@code cache_change_changed_at}, usually returning nothing. */
	static final String POLL = "select id, cache_name, cache_key, changed_at from cache_change where changed_at > ? and node_id <> ?";

	private final JdbcClient jdbc;

	private final String node;

	private final boolean shared;

	private final Duration interval;

	private final Map<String, NodeCache<?>> caches = new ConcurrentHashMap<>();

	/** The poll's window starts here (database time); moved to the newest change seen, less {@link #REREAD}. */
	private Instant since;

	/** Ids of the rows in the window that were handled already, with their time, to skip them when re-read. */
	private final Map<String, Instant> handled = new HashMap<>();

	private long lastPolledNanos = System.nanoTime();

	private boolean failing;

	private volatile Thread poller;

	CacheChanges(JdbcClient jdbc, DataSource dataSource, ClusterNode node,
			@Value("${foyer.cluster.poll-interval:PT0.2S}") Duration interval) {
		this.jdbc = jdbc;
		this.node = node.id();
		this.interval = interval;
		this.shared = !"H2".equals(productName(dataSource));
		if (this.shared) {
			// Before any cache is filled, so that no change made meanwhile can fall between start and first poll.
			Instant now = jdbc.sql("select current_timestamp").query(Timestamp.class).single().toInstant();
			this.since = now.minus(REREAD);
		}
	}

	/**
	 * A new cache named {@code name} (also its name in {@code cache_change}: keep it stable across versions).
	 * {@code afterChange} hears of every changed key after the entry was dropped, on this node after the changing
	 * transaction ended and on the others when they read the change, so that the owner can tell what it derived.
	 */
	public <V> NodeCache<V> cache(String name, Consumer<String> afterChange) {
		return cache(name, afterChange, Integer.MAX_VALUE);
	}

	/** As {@link #cache(String, Consumer)}, holding at most {@code capacity} entries. */
	public <V> NodeCache<V> cache(String name, Consumer<String> afterChange, int capacity) {
		if (name.length() > 40) {
			throw new IllegalArgumentException("Cache names have at most 40 characters: " + name);
		}
		NodeCache<V> cache = new NodeCache<>(name, this, afterChange, capacity);
		if (this.caches.putIfAbsent(name, cache) != null) {
			throw new IllegalStateException("Two caches are named " + name);
		}
		return cache;
	}

	public <V> NodeCache<V> cache(String name) {
		return cache(name, Integer.MAX_VALUE);
	}

	/** A cache whose owner derives nothing from its entries, holding at most {@code capacity} of them. */
	public <V> NodeCache<V> cache(String name, int capacity) {
		return cache(name, key -> {
		}, capacity);
	}

	/** Whether other nodes may share the database, so that changes are written and polled. */
	public boolean shared() {
		return this.shared;
	}

	void changed(NodeCache<?> cache, String key) {
		if (key.length() > 200) {
			throw new IllegalArgumentException("Cache keys have at most 200 characters");
		}
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			Pending pending = (Pending) TransactionSynchronizationManager.getResource(this);
			if (pending == null) {
				pending = new Pending();
				TransactionSynchronizationManager.bindResource(this, pending);
				TransactionSynchronizationManager.registerSynchronization(pending);
			}
			pending.changes.add(new Change(cache, key));
		}
		else {
			Change change = new Change(cache, key);
			record(List.of(change));
			change.apply();
		}
	}

	private record Change(NodeCache<?> cache, String key) {

		void apply() {
			this.cache.forget(this.key);
			this.cache.announce(this.key);
		}

	}

	/** The changes of one transaction: written just before it commits, applied here when it has ended. */
	private final class Pending implements TransactionSynchronization {

		private final Set<Change> changes = new LinkedHashSet<>();

		@Override
		public void beforeCommit(boolean readOnly) {
			record(List.copyOf(this.changes));
		}

		@Override
		public void afterCompletion(int status) {
			TransactionSynchronizationManager.unbindResourceIfPossible(CacheChanges.this);
			// Also after a rollback: the transaction may have cached what it wrote and then undid.
			for (Change change : this.changes) {
				try {
					change.apply();
				}
				catch (RuntimeException ex) {
					log.warn("Could not apply a change of cache {} on this node", change.cache().name(), ex);
				}
			}
		}

	}

	private void record(List<Change> changes) {
		if (!this.shared) {
			return;
		}
		for (Change change : changes) {
			this.jdbc.sql("""
					insert into cache_change (id, cache_name, cache_key, node_id, changed_at)
					values (?, ?, ?, ?, clock_timestamp())""")
				.params(UUID.randomUUID().toString(), change.cache().name(), change.key(), this.node)
				.update();
		}
	}

	/**
	 * Reads the changes other nodes committed since the last poll and drops them here; returns how many were new.
	 * Called by the poller thread every interval, and by tests.
	 */
	synchronized int poll() {
		if (!this.shared) {
			return 0;
		}
		record Row(String id, String cache, String key, Instant changedAt) {
		}
		List<Row> rows = this.jdbc.sql(POLL)
			.params(Timestamp.from(this.since), this.node)
			.query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()))
			.list();
		long now = System.nanoTime();
		boolean outOfTouch = Duration.ofNanos(now - this.lastPolledNanos).compareTo(KEPT.dividedBy(2)) > 0;
		this.lastPolledNanos = now;
		if (outOfTouch) {
			// Rows this node never read may have been deleted meanwhile: what it holds may be stale, so it holds nothing.
			log.warn("Could not read cache changes for more than {} minutes; dropping every cache", KEPT.toMinutes() / 2);
			this.caches.values().forEach(NodeCache::forgetAll);
		}
		int fresh = 0;
		Instant newest = this.since.plus(REREAD);
		for (Row row : rows) {
			if (row.changedAt().isAfter(newest)) {
				newest = row.changedAt();
			}
			if (this.handled.putIfAbsent(row.id(), row.changedAt()) != null) {
				continue;
			}
			fresh++;
			NodeCache<?> cache = this.caches.get(row.cache());
			if (cache == null) {
				continue; // a cache of another version of Foyer, in a rolling upgrade
			}
			try {
				new Change(cache, row.key()).apply();
			}
			catch (RuntimeException ex) {
				log.warn("Could not apply a change of cache {} made on another node", row.cache(), ex);
			}
		}
		this.since = newest.minus(REREAD);
		this.handled.values().removeIf(changedAt -> !changedAt.isAfter(this.since));
		return fresh;
	}

	private void pollForever() {
		while (this.poller == Thread.currentThread()) {
			try {
				Thread.sleep(this.interval);
			}
			catch (InterruptedException ex) {
				return;
			}
			try {
				poll();
				if (this.failing) {
					log.info("Reading cache changes again");
					this.failing = false;
				}
			}
			catch (RuntimeException ex) {
				if (!this.failing) {
					log.warn("Cannot read cache changes from the database ({}); retrying every {} ms", ex.getMessage(),
							this.interval.toMillis());
					this.failing = true;
				}
			}
		}
	}

	@Override
	public void start() {
		if (this.shared && this.poller == null) {
			// Known as the poller before it runs, or its loop would find it is not and end at once.
			this.poller = Thread.ofPlatform().daemon().name("foyer-cache-changes").unstarted(this::pollForever);
			this.poller.start();
			log.info("Cluster: reading other nodes' cache changes every {} ms as node {}", this.interval.toMillis(), this.node);
		}
	}

	@Override
	public void stop() {
		Thread running = this.poller;
		this.poller = null;
		if (running != null) {
			running.interrupt();
			try {
				running.join(Duration.ofSeconds(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.poller != null;
	}

	/** Started before the web server and stopped after it, so that requests still finishing hear of changes. */
	@Override
	public int getPhase() {
		return 0;
	}

	private static String productName(DataSource dataSource) {
		try {
			return JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
		}
		catch (MetaDataAccessException ex) {
			throw new IllegalStateException("Cannot tell which database Foyer runs on", ex);
		}
	}

}
