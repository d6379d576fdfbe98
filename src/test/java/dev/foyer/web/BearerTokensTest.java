package dev.foyer.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/** BearerTokens answers every header as Spring Security's own resolver does (its value, or its error). */
class BearerTokensTest {

	@Test
	void answersAsSpringSecuritysResolverDoes() {
		List<String> headers = new ArrayList<>(List.of("Bearer abc.def-ghi_jkl~mno+pqr/stu==", "bearer abc", "BEARER abc",
				"Bearer", "Bearer ", "Bearer  abc", "Bearerabc", "Bearer abc def", "Bearer ===", "Bearer abc=x",
				"Bearer a\u00e9b", "Bearer abc\n", "Basic dXNlcjpwYXNz", "DPoP abc", "", "Bear abc", "bearer\tabc"));
		// And random headers over the interesting characters.
		Random random = new Random(6750);
		String alphabet = "aZ09-._~+/= \t\u00e9%";
		for (int i = 0; i < 2_000; i++) {
			StringBuilder header = new StringBuilder(random.nextBoolean() ? "Bearer " : "bEaReR");
			for (int n = random.nextInt(12); n > 0; n--) {
				header.append(alphabet.charAt(random.nextInt(alphabet.length())));
			}
			headers.add(header.toString());
		}
		headers.add(null);
		BearerTokens ours = new BearerTokens();
		DefaultBearerTokenResolver spring = new DefaultBearerTokenResolver();
		int tokens = 0;
		for (String header : headers) {
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/t/x/userinfo");
			if (header != null) {
				request.addHeader("Authorization", header);
			}
			String expected = answer(() -> spring.resolve(request));
			assertThat(answer(() -> ours.resolve(request))).as("Authorization: %s", header).isEqualTo(expected);
			tokens += expected != null && !expected.startsWith("error:") ? 1 : 0;
		}
		// Both kinds of answer were compared, not only one.
		assertThat(tokens).isGreaterThan(100);
	}

	private static String answer(java.util.function.Supplier<String> resolve) {
		try {
			return resolve.get();
		}
		catch (OAuth2AuthenticationException ex) {
			return "error:" + ex.getError().getErrorCode() + ":" + ex.getError().getDescription();
		}
	}

}
