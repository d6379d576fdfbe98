package dev.foyer.directory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * People's passwords: Argon2id at OWASP's parameters (19 MiB, 2 iterations, 1 lane) for everything Foyer hashes;
 * hashes imported from other systems ({@code {bcrypt}}, {@code {pbkdf2}} with their own iterations, {@code {argon2}}
 * with other parameters; see {@link ForeignPasswordHashes}) still verify, and {@link #needsRehash} says when to
 * replace them. Only passwords are hashed slowly: client secrets and tokens are high-entropy and use SHA-256.
 */
@Component
public class PasswordHashing {

	public static final int ARGON2_MEMORY_KIB = 19 * 1024;

	public static final int ARGON2_ITERATIONS = 2;

	public static final int ARGON2_PARALLELISM = 1;

	/**
	 * Imports accept hashes of about a second of work at most (ForeignPasswordHashes' caps); a check slowed by a busy
	 * machine must not make every later failure in its tenant wait longer than that.
	 */
	private static final Duration MAX_FAILURE_WAIT = Duration.ofSeconds(2);

	private static final Logger log = LoggerFactory.getLogger(PasswordHashing.class);

	private final DelegatingPasswordEncoder encoder;

	public PasswordHashing() {
		log.info("Passwords hashed with Argon2id ({} KiB, {} iterations, {} lane), its compression on {}",
				ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_PARALLELISM, argon2Compression());
		this.encoder = new DelegatingPasswordEncoder("argon2", Map.<String, PasswordEncoder>of("argon2", argon2(),
				"bcrypt", new BCryptPasswordEncoder(), "pbkdf2", new Pbkdf2PasswordHashes(),
				"pbkdf2@SpringSecurity_v5_8", Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8()));
	}

	/** The encoder with Foyer's parameters; the benchmark measures the hash bound with this very instance. */
	public static PasswordEncoder argon2() {
		return new Argon2PasswordHashes(ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_PARALLELISM);
	}

	/**
	 * How this JVM computes Argon2's compression: "256-bit vectors" with the {@code jdk.incubator.vector} module
	 * ({@code FOYER_ARGON2_VECTORS=on} adds it), "scalar code" without it, about half as fast. The benchmarks print it.
	 */
	public static String argon2Compression() {
		return Argon2.Compression.AVAILABLE.description();
	}

	private volatile String decoy;

	/** Per tenant, the slowest check of an imported hash seen since start, in nanoseconds. */
	private final Map<String, Long> slowestImportedCheck = new ConcurrentHashMap<>();

	/** A hash of a random value, to spend the same time on unknown accounts as on known ones. */
	private String decoy() {
		String value = this.decoy;
		if (value == null) {
			value = hash(java.util.UUID.randomUUID().toString());
			this.decoy = value;
		}
		return value;
	}

	/**
	 * Hashes run on one platform thread per CPU, and callers wait for their turn. A hash holds 19 MiB and a full CPU
	 * for about 20 ms, so more at once would only add memory and garbage collection, never throughput. And Argon2's
	 * inner loop runs about 1.5 times slower on a virtual thread (request threads are virtual) than on a platform
	 * thread on JDK 25, measured in docs/benchmarks.md.
	 */
	private final ExecutorService hashers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
			Thread.ofPlatform().name("password-hashing-", 1).daemon().factory());

	public String hash(String password) {
		return onHashers(() -> this.encoder.encode(password));
	}

	public boolean matches(String password, String hash) {
		return hash != null && onHashers(() -> this.encoder.matches(password, hash));
	}

	/**
	 * A sign-in's check of a password against an account's hash, or against {@link #decoy} when there is no account
	 * (or no password on it), so that the answer's time does not tell whether the address has an account.
	 * <p>
	 * The decoy is Foyer's own Argon2id, but a hash imported from another system (bcrypt, PBKDF2, Argon2 at other
	 * parameters) takes its own time until its owner's first sign-in replaces it: a bcrypt of cost 10 takes two to
	 * three times as long here. So each tenant's slowest check of an imported hash is remembered, and every failed
	 * check in that tenant (wrong password or unknown address alike) answers no sooner than that. Tenants whose
	 * hashes are all Foyer's own never wait. The time counted is the hash's own, not its wait for a free hasher,
	 * which is the same for every check.
	 */
	public boolean checkAtSignIn(String tenantId, String password, String hash) {
		String checked = hash == null ? decoy() : hash;
		long[] took = new long[1];
		boolean matches = onHashers(() -> {
			long start = System.nanoTime();
			boolean result = this.encoder.matches(password, checked);
			took[0] = System.nanoTime() - start;
			return result;
		}) && hash != null;
		if (hash != null && needsRehash(hash)) {
			this.slowestImportedCheck.merge(tenantId, Math.min(took[0], MAX_FAILURE_WAIT.toNanos()), Math::max);
		}
		if (!matches) {
			waitNanos(this.slowestImportedCheck.getOrDefault(tenantId, 0L) - took[0]);
		}
		return matches;
	}

	/** The time a failed sign-in check in the tenant takes at least: its slowest imported hash so far, or zero. */
	Duration failedCheckTime(String tenantId) {
		return Duration.ofNanos(this.slowestImportedCheck.getOrDefault(tenantId, 0L));
	}

	private static void waitNanos(long nanos) {
		if (nanos <= 0) {
			return;
		}
		try {
			Thread.sleep(Duration.ofNanos(nanos));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private <T> T onHashers(Callable<T> work) {
		Future<T> result = this.hashers.submit(work);
		try {
			return result.get();
		}
		catch (InterruptedException ex) {
			result.cancel(false);
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for a password hash", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	@PreDestroy
	void stop() {
		this.hashers.shutdownNow();
	}

	public boolean needsRehash(String hash) {
		return this.encoder.upgradeEncoding(hash);
	}

}
