package dev.foyer.cluster;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What this node holds in memory of some database state, by key, made by {@link CacheChanges#cache}. Its owner
 * reads through {@link #get} and calls {@link #changed} in the transaction that changes the state: the entry is
 * dropped on this node when the transaction ends and on every other node within about a second.
 * <p>
 * Absence is never cached: keys come from anyone on the internet, and caching their absence would let strangers
 * fill memory.
 */
public final class NodeCache<V> {

	private final String name;

	private final CacheChanges changes;

	private final Consumer<String> afterChange;

	private final ConcurrentHashMap<String, V> entries = new ConcurrentHashMap<>();

	/** At most this many entries: a cache of what many people hold (accounts, tokens) must not grow with them. */
	private final int capacity;

	/**
	 * Counts the drops. A load that read the database before a change committed may finish after the change was
	 * dropped here; it would then cache the old state until the next change. A load that sees the count move while
	 * it ran therefore takes back what it put.
	 */
	private final AtomicLong drops = new AtomicLong();

	NodeCache(String name, CacheChanges changes, Consumer<String> afterChange, int capacity) {
		this.name = name;
		this.capacity = capacity;
		this.changes = changes;
		this.afterChange = afterChange;
	}

	/** The entry from memory, else from {@code load}, kept when present. */
	public Optional<V> get(String key, Function<String, Optional<V>> load) {
		V cached = this.entries.get(key);
		if (cached != null) {
			return Optional.of(cached);
		}
		long before = this.drops.get();
		Optional<V> loaded = load.apply(key);
		loaded.ifPresent(value -> {
			if (this.entries.size() >= this.capacity) {
				// Full: one arbitrary entry makes room. What is in use comes back at its next read; no bookkeeping of
				// recency on the read path, which is the hot one.
				this.entries.keySet().stream().findAny().ifPresent(this.entries::remove);
			}
			this.entries.put(key, value);
			if (this.drops.get() != before) {
				this.entries.remove(key, value);
			}
		});
		return loaded;
	}

	/**
	 * Says that the state behind {@code key} changes in the current transaction (or has just changed, outside one).
	 * The entry is dropped at once, so that the transaction reads its own writes, and again when it ends; other
	 * nodes drop it once it has committed.
	 */
	public void changed(String key) {
		forget(key);
		this.changes.changed(this, key);
	}

	/**
	 * Drops, on this node only, the entries whose keys match: for owners that follow a change they are told about
	 * by an event (which every node publishes for itself), such as a tenant's clients when the tenant changed.
	 */
	public void forgetIf(Predicate<String> keys) {
		this.drops.incrementAndGet();
		this.entries.keySet().removeIf(keys);
	}

	String name() {
		return this.name;
	}

	void forget(String key) {
		// Counted before the removal, so that a load which put its value after the removal sees the count moved.
		this.drops.incrementAndGet();
		this.entries.remove(key);
	}

	void forgetAll() {
		this.drops.incrementAndGet();
		this.entries.clear();
	}

	/** Tells the owner that the key changed, after it was dropped: on this node after the transaction, or another's. */
	void announce(String key) {
		this.afterChange.accept(key);
	}

}
