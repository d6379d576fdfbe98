package dev.foyer.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * A failed sign-in check takes as long as the slowest imported hash its tenant has shown, whether the address has
 * an account or not: an imported bcrypt of cost 11 takes several times as long as Foyer's Argon2id, which would
 * otherwise tell an attacker which addresses belong to accounts that have not signed in since their import.
 */
class SignInCheckTimeTest {

	private static final PasswordHashing HASHING = new PasswordHashing();

	private static final String PASSWORD = "correct horse battery";

	@AfterAll
	static void stop() {
		HASHING.stop();
	}

	@Test
	void afterASlowImportedHashEveryFailureInItsTenantTakesAsLong() {
		String imported = "{bcrypt}" + new BCryptPasswordEncoder(11).encode(PASSWORD);
		String own = HASHING.hash(PASSWORD);
		assertThat(HASHING.checkAtSignIn("imports", "wrong", null)).as("unknown address").isFalse();
		assertThat(HASHING.failedCheckTime("imports")).as("nothing imported seen yet").isZero();

		assertThat(HASHING.checkAtSignIn("imports", "wrong", imported)).isFalse();
		Duration slowest = HASHING.failedCheckTime("imports");
		assertThat(slowest).as("the bcrypt check's own time").isGreaterThan(Duration.ofMillis(20));

		assertThat(took(() -> HASHING.checkAtSignIn("imports", "wrong", null))).as("an unknown address")
			.isGreaterThanOrEqualTo(slowest.toNanos());
		assertThat(took(() -> HASHING.checkAtSignIn("imports", "wrong", own))).as("Foyer's own hash, wrong password")
			.isGreaterThanOrEqualTo(slowest.toNanos());
		assertThat(HASHING.checkAtSignIn("imports", PASSWORD, own)).as("the right password still matches").isTrue();
		assertThat(HASHING.checkAtSignIn("imports", PASSWORD, imported)).isTrue();

		assertThat(HASHING.failedCheckTime("other")).as("another tenant does not wait for this one's imports").isZero();
		assertThat(HASHING.checkAtSignIn("other", PASSWORD, null)).as("no account never matches").isFalse();
	}

	/** The nanoseconds a failed check took; fails the test if the check matched. */
	private static long took(java.util.function.BooleanSupplier check) {
		long start = System.nanoTime();
		assertThat(check.getAsBoolean()).as("the check failed").isFalse();
		return System.nanoTime() - start;
	}

}
