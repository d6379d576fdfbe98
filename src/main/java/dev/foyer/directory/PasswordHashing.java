package dev.foyer.directory;

import java.util.Map;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * People's passwords: Argon2id at OWASP's parameters (19 MiB, 2 iterations, 1 lane) for everything Foyer hashes;
 * bcrypt and PBKDF2 hashes imported from other systems still verify, and {@link #needsRehash} says when to
 * replace them. Only passwords are hashed slowly: client secrets and tokens are high-entropy and use SHA-256.
 */
@Component
public class PasswordHashing {

	public static final int ARGON2_MEMORY_KIB = 19 * 1024;

	public static final int ARGON2_ITERATIONS = 2;

	public static final int ARGON2_PARALLELISM = 1;

	private final DelegatingPasswordEncoder encoder;

	public PasswordHashing() {
		this.encoder = new DelegatingPasswordEncoder("argon2", Map.<String, PasswordEncoder>of("argon2", argon2(),
				"bcrypt", new BCryptPasswordEncoder(),
				"pbkdf2@SpringSecurity_v5_8", Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8()));
	}

	/** The encoder with Foyer's parameters; the benchmark measures the hash bound with this very instance. */
	public static Argon2PasswordEncoder argon2() {
		return new Argon2PasswordEncoder(16, 32, ARGON2_PARALLELISM, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS);
	}

	private volatile String decoy;

	/** A hash of a random value, to spend the same time on unknown accounts as on known ones. */
	public String decoy() {
		String value = this.decoy;
		if (value == null) {
			value = hash(java.util.UUID.randomUUID().toString());
			this.decoy = value;
		}
		return value;
	}

	/**
	 * At most one hash per CPU at a time: each Argon2id hash holds 19 MiB and a full CPU for tens of milliseconds,
	 * so more at once only adds memory and garbage collection, never throughput. Waiting callers queue here.
	 */
	private final java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(
			Runtime.getRuntime().availableProcessors(), true);

	public String hash(String password) {
		return bounded(() -> this.encoder.encode(password));
	}

	public boolean matches(String password, String hash) {
		return hash != null && bounded(() -> this.encoder.matches(password, hash));
	}

	private <T> T bounded(java.util.function.Supplier<T> work) {
		this.slots.acquireUninterruptibly();
		try {
			return work.get();
		}
		finally {
			this.slots.release();
		}
	}

	public boolean needsRehash(String hash) {
		return this.encoder.upgradeEncoding(hash);
	}

}
