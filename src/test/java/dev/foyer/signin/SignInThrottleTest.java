package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SignInThrottleTest {

	@Test
	void limitsPostsPerAddressPerMinute() {
		SignInThrottle throttle = new SignInThrottle(null, null, 3);
		assertThat(throttle.allowPost("10.0.0.1")).isTrue();
		assertThat(throttle.allowPost("10.0.0.1")).isTrue();
		assertThat(throttle.allowPost("10.0.0.1")).isTrue();
		assertThat(throttle.allowPost("10.0.0.1")).isFalse();
		// Other addresses have their own budget.
		assertThat(throttle.allowPost("10.0.0.2")).isTrue();
	}

}
