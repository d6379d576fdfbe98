package dev.foyer.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

import dev.foyer.config.BaseUrl;
import dev.foyer.config.FoyerProperties;

class CookiesTest {

	private static Cookies cookies(String baseUrl) {
		return new Cookies(new BaseUrl(new FoyerProperties(baseUrl, Path.of("."), null, null,
				new FoyerProperties.Bootstrap(null, null, null, null))));
	}

	@Test
	void secureOnHttpsHttpOnlyLaxAndScopedToTheTenant() {
		MockHttpServletResponse response = new MockHttpServletResponse();
		cookies("https://id.example.com").set(response, "contoso", "foyer_session", "value", null);
		assertThat(response.getHeader("Set-Cookie")).contains("Secure").contains("HttpOnly").contains("SameSite=Lax")
			.contains("Path=/t/contoso/");
		MockHttpServletResponse plain = new MockHttpServletResponse();
		cookies("http://localhost:8080").set(plain, "contoso", "foyer_session", "value", null);
		assertThat(plain.getHeader("Set-Cookie")).doesNotContain("Secure").contains("HttpOnly");
	}

}
